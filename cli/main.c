/* cpucompat: will a guest's CPU model survive a live migration from one host to another? */
#include "cli.h"
#include "../core/version.h"
#include "../core/xalloc.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_command *const commands[] = {
    &cli_dump,    &cli_import,   &cli_show,   &cli_models,
    &cli_compare, &cli_baseline, &cli_expand, &cli_verify,
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
    poptContext pc = poptGetContext("cpucompat", argc, argv, options, POPT_CONTEXT_POSIXMEHARDER);

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
        if (show_version)
            printf("cpucompat %s\n", CC_VERSION);
        else
            print_help(stdout);
        poptFreeContext(pc);
        free(env.datadir);
        free(env.names);
        return cli_finish_stdout(CLI_EXIT_OK);
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
    status = -1;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
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
