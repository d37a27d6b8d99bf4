/* The options a command hands to the architecture: the generic ones every architecture takes
 * (cli_options.c) and those each architecture declares in its ops table. cli_options_init
 * builds their popt table; after parsing, cli_options_check collects what was given into the
 * carrier the architecture reads, and refuses an option the architecture at hand does not
 * declare, with one message for all of them. */
#ifndef CLI_OPTIONS_H
#define CLI_OPTIONS_H

#include "../core/arch.h"
#include "../core/options.h"

#include <popt.h>

#define CLI_MAX_OPTIONS 32

struct cli_options {
    const char *cmd; /* "compare" */
    unsigned bit;    /* its enum cc_command */
    struct poptOption table[CLI_MAX_OPTIONS + 1];
    const struct cc_option *decl[CLI_MAX_OPTIONS];
    char *help[CLI_MAX_OPTIONS];  /* "aarch64: ..." for an architecture's option */
    char *value[CLI_MAX_OPTIONS]; /* a string option's value, allocated by popt */
    int flag[CLI_MAX_OPTIONS];
    size_t n;
    struct cc_options given; /* filled by cli_options_check */
};

/* The popt table of command cmd's options (bit: its enum cc_command) */
void cli_options_init(struct cli_options *o, const char *cmd, unsigned bit);

/* Include this entry in the command's popt table. */
#define CLI_OPTIONS_TABLE(o)                                                                       \
    {                                                                                              \
        NULL, '\0', POPT_ARG_INCLUDE_TABLE, (o)->table, 0, NULL, NULL                              \
    }

/* After parsing: fills o->given, or prints "cpucompat CMD: --X is an ARCH option; <what> ARCH2"
 * and returns CLI_EXIT_ERROR when arch does not declare a given option (what: "these files
 * are", "this host is"). Returns 0 when all is well. */
int cli_options_check(struct cli_options *o, const struct cc_arch_ops *arch, const char *what);

/* Before cli_options_check: the value popt parsed for a generic option ("" for a flag), NULL
 * when it was not given; for choices that must be made before the files are read. */
const char *cli_options_peek(const struct cli_options *o, const char *name);

void cli_options_free(struct cli_options *o);

#endif
