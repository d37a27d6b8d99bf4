/* cpucompat: will a guest's CPU model survive a live migration from one host to another? */
#include "cli.h"
#include "../core/data_versions.h"
#include "../core/suggest.h"
#include "../core/version.h"
#include "../core/xalloc.h"

#include <libxml/parser.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_command *const commands[] = {
    &cli_dump,     &cli_import, &cli_show,   &cli_models,    &cli_compare,
    &cli_baseline, &cli_expand, &cli_verify, &cli_inventory,
};

static void print_help(FILE *out)
{
    fprintf(out, "Usage: cpucompat [--data-dir DIR] [--names NAMING] COMMAND [OPTIONS] [ARGS]\n"
                 "       cpucompat --version | --help\n\n"
                 "Tells before a live migration whether a guest CPU can move between hosts.\n\n"
                 "  --data-dir DIR   read catalogs and the schema from DIR\n"
                 "  --names NAMING   feature names in reports as qemu (default), libvirt or linux "
                 "spell them\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "\n'cpucompat COMMAND --help' describes a command; man cpucompat-COMMAND has "
                 "the details.\nExit status: 0 success (or migratable), 1 not migratable, "
                 "2 error.\n");
}

/* The version, where the data comes from and which releases its catalogs were made from. */
static int print_version(const char *datadir)
{
    struct cc_strlist lines = {0};
    struct cc_ctx ctx;
    int r;

    printf("cpucompat %s\n", CC_VERSION);
    if (cc_ctx_init(&ctx, datadir) < 0)
        return cli_fail();
    if (ctx.builtin)
        printf("data: built into the binary (no data directory found)\n");
    else
        printf("data: %s\n", ctx.datadir);
    r = cc_data_versions(&ctx, &lines);
    for (size_t i = 0; r == 0 && i < lines.n; i++)
        printf("  %s\n", lines.items[i]);
    cc_strlist_free(&lines);
    cc_ctx_fini(&ctx);
    return r < 0 ? cli_fail() : CLI_EXIT_OK;
}

/* The hidden helper of the bash completion (completion/cpucompat.bash): "commands", or every
 * architecture's "models" or "features", one name a line. Names only from the tables: nothing
 * here reads a user's file. */
static int complete(const char *datadir, const char *const *what)
{
    struct cc_strlist names = {0};
    struct cc_ctx ctx;
    bool models;
    int r = 0;

    if (what[0] && strcmp(what[0], "commands") == 0 && !what[1]) {
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
            printf("%s\n", commands[i]->name);
        return cli_finish_stdout(CLI_EXIT_OK);
    }
    if (!what[0] || what[1] || (strcmp(what[0], "models") && strcmp(what[0], "features"))) {
        fprintf(stderr, "cpucompat __complete: want commands, models or features\n");
        return CLI_EXIT_ERROR;
    }
    models = strcmp(what[0], "models") == 0;
    if (cc_ctx_init(&ctx, datadir) < 0)
        return cli_fail();
    for (size_t i = 0; r == 0 && cc_arch_table[i]; i++) {
        int (*list)(struct cc_ctx *, struct cc_strlist *) =
            models ? cc_arch_table[i]->model_names : cc_arch_table[i]->feature_names;

        if (list)
            r = list(&ctx, &names);
    }
    for (size_t i = 0; r == 0 && i < names.n; i++)
        printf("%s\n", names.items[i]);
    cc_strlist_free(&names);
    cc_ctx_fini(&ctx);
    return r < 0 ? cli_fail() : cli_finish_stdout(CLI_EXIT_OK);
}

int main(int argc, const char **argv)
{
    struct cli_env env = {0};
    int show_version = 0, show_help = 0, rc, status;
    const char *cmd;
    const char **rest;
    struct poptOption options[] = {
        {"data-dir", 0, POPT_ARG_STRING, &env.datadir, 0, "read catalogs and the schema from DIR",
         "DIR"},
        {"names", 0, POPT_ARG_STRING, &env.names, 0,
         "feature names in reports as NAMING spells them: qemu (default), libvirt or linux",
         "NAMING"},
        {"version", 'V', POPT_ARG_NONE, &show_version, 0, "print the version and exit", NULL},
        {"help", 'h', POPT_ARG_NONE, &show_help, 0, "print this help and exit", NULL},
        POPT_TABLEEND,
    };
    poptContext pc;

    /* A write past the file-size limit (ulimit -f) is then EFBIG, one line and exit 2 like a
     * full disk, instead of a signal that kills the process half-way through. */
    signal(SIGXFSZ, SIG_IGN);
    pc = poptGetContext("cpucompat", argc, argv, options, POPT_CONTEXT_POSIXMEHARDER);

    while ((rc = poptGetNextOpt(pc)) > 0)
        ;
    if (rc < -1) {
        fprintf(stderr, "cpucompat: %s: %s (see 'cpucompat --help')\n",
                poptBadOption(pc, POPT_BADOPTION_NOALIAS), poptStrerror(rc));
        poptFreeContext(pc);
        free(env.datadir);
        free(env.names);
        return CLI_EXIT_ERROR;
    }
    if (show_version || show_help) {
        status = show_version ? print_version(env.datadir) : (print_help(stdout), CLI_EXIT_OK);
        poptFreeContext(pc);
        free(env.datadir);
        free(env.names);
        return cli_finish_stdout(status);
    }
    rest = poptGetArgs(pc);
    if (!rest || !rest[0]) {
        print_help(stderr);
        poptFreeContext(pc);
        free(env.datadir);
        free(env.names);
        return CLI_EXIT_ERROR;
    }
    cmd = rest[0];
    status = strcmp(cmd, "__complete") == 0 ? complete(env.datadir, rest + 1) : -1;
    for (size_t i = 0; status < 0 && i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(commands[i]->name, cmd) == 0) {
            const char **args;
            char *self;
            int n = 0;

            while (rest[n])
                n++;
            /* popt's usage line names argv[0]: make it "cpucompat COMMAND". */
            args = xcalloc((size_t)n + 1, sizeof(*args));
            self = xasprintf("cpucompat %s", cmd);
            memcpy(args, rest, (size_t)n * sizeof(*args));
            args[0] = self;
            status = commands[i]->run(&env, n, args);
            free(self);
            free(args);
            break;
        }
    }
    if (status < 0) {
        struct cc_suggest near;

        cc_suggest_init(&near, cmd);
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
            cc_suggest_add(&near, commands[i]->name);
        if (cc_suggest_best(&near))
            fprintf(stderr,
                    "cpucompat: '%s' is not a command (did you mean '%s'? see 'cpucompat "
                    "--help')\n",
                    cmd, cc_suggest_best(&near));
        else
            fprintf(stderr, "cpucompat: '%s' is not a command (see 'cpucompat --help')\n", cmd);
        status = CLI_EXIT_ERROR;
    }
    poptFreeContext(pc);
    if (env.ctx_ready)
        cc_ctx_fini(&env.ctx);
    free(env.datadir);
    free(env.names);
    xmlCleanupParser();
    return status;
}
