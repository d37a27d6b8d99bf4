/* The command-line edge: the only place errors become exit statuses. */
#ifndef CC_CLI_H
#define CC_CLI_H

#include "../core/ctx.h"
#include "../core/output.h"

#include <popt.h>

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_NO = 1,    /* a negative verdict (e.g. not migratable) */
    CLI_EXIT_ERROR = 2, /* bad input, bad usage, or a failure */
};

struct cli_env {
    char *datadir; /* --data-dir (allocated by popt), or NULL */
    char *names;   /* --names (allocated by popt), or NULL */
    struct cc_ctx ctx;
    bool ctx_ready;
};

struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(struct cli_env *env, int argc, const char **argv);
};

extern const struct cli_command cli_dump, cli_import, cli_show, cli_models, cli_compare,
    cli_baseline, cli_expand, cli_verify, cli_inventory;

/* Parses --format (NULL: text) against the allowed formats, then loads the context; on failure
 * prints the error and returns NULL. */
struct cc_ctx *cli_setup(struct cli_env *env, const char *format, unsigned allowed,
                         enum cc_format *fmt);

/* The loaded data directory and tables; on failure prints the error and returns NULL. */
struct cc_ctx *cli_ctx(struct cli_env *env);

/* Reads n capability files that must all be of one architecture into docs (n slots, zeroed by
 * the caller, freed by the caller whatever happens). Prints the error and returns -1 on
 * failure. */
int cli_read_hosts(struct cc_ctx *ctx, const char *const *files, size_t n, struct cc_doc **docs);

/* --qemu VERSION (NULL: not given): every host is judged by this QEMU release. Prints the error
 * and returns -1 when VERSION is not X.Y or X.Y.Z. */
int cli_set_qemu(struct cc_ctx *ctx, const char *version);
#define CLI_QEMU_HELP "judge every host by this QEMU release (default: the file's, else 7.2)"

/* Prints "cpucompat: <current error message>" and returns CLI_EXIT_ERROR. */
int cli_fail(void);
/* Prints "cpucompat COMMAND: <formatted>" and returns CLI_EXIT_ERROR. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints a one-line note to stderr. */
void cli_note(const char *msg);

/* For _cleanup_(cli_popt_freep) poptContext pc. */
static inline void cli_popt_freep(poptContext *pc)
{
    if (*pc)
        poptFreeContext(*pc);
}

/* Runs popt over a command's options. Returns -1 to continue, or an exit status (0 after
 * --help/--usage, CLI_EXIT_ERROR on a bad option). */
int cli_parse(const char *cmd, poptContext pc);

/* A report reaches standard output only when complete, so an error half-way never leaves half
 * a report (cli_report.c: in memory, or past a megabyte in an unnamed temporary file).
 * cli_report_open never fails (it falls back to stdout only if the stream cannot be made);
 * cli_report_close writes it out when ok, and fails (a message left) when the held report
 * could not be kept or read back. */
struct cli_report {
    FILE *f;
    char *buf;
    size_t len, cap;
    int fd;         /* the temporary file once spilled, else -1 */
    int err;        /* the errno of a failed write to it */
    bool in_memory; /* no temporary file could be made: kept in memory whatever its size */
};
FILE *cli_report_open(struct cli_report *r);
int cli_report_close(struct cli_report *r, bool ok);

/* Checks standard output was written completely; an error status otherwise. */
int cli_finish_stdout(int status);

struct cc_node;
/* Prints a report tree (taking it over) whole or not at all in fmt; returns status, or
 * CLI_EXIT_ERROR when the report could not be made. */
int cli_print_report(struct cc_node *tree, enum cc_format fmt, int status);

/* --format labels on models and show: the host's KubeVirt node labels, or the error. */
int cli_print_labels(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file);

struct cc_verdict;
/* Prints a verdict (compare, verify) whole or not at all; the exit status: 0 migratable, 1
 * not, CLI_EXIT_ERROR when the report could not be made. */
int cli_print_verdict(const struct cc_verdict *v, const char *src, const char *dst,
                      enum cc_format fmt);

#endif
