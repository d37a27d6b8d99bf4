/* cpucompat dump: probe this host and write its capability file. */
#include "cli.h"
#include "cli_options.h"
#include "../core/arch.h"
#include "../core/capdoc_io.h"
#include "../core/cleanup.h"
#include "../core/error.h"
#include "../core/qemu.h"

#include <stdlib.h>

/* The probe's notes wait until the file is written: when the dump fails, its one-line error is
 * all the user sees (a note about the kvm view would only hide it). */
static struct cc_strlist pending_notes;

static void defer_note(const char *msg)
{
    cc_strlist_add(&pending_notes, msg);
}

static void print_notes(struct cc_strlist *notes)
{
    for (size_t i = 0; i < notes->n; i++)
        cli_note(notes->items[i]);
    cc_strlist_free(notes);
}

/* The QEMU this host would run guests with: what its answers depend on. */
static int record_qemu(const struct cc_arch_ops *arch, struct cc_doc *doc)
{
    char *version = NULL, *binary = NULL;
    int r = cc_qemu_probe(arch->name, &version, &binary, defer_note);

    if (r == 0 && version)
        r = cc_kv_set(&doc->origin, "qemu-version", version);
    if (r == 0 && binary)
        r = cc_kv_set(&doc->origin, "qemu-binary", binary);
    free(version);
    free(binary);
    return r;
}

static int run(struct cli_env *env, int argc, const char **argv)
{
    _cleanup_free_ char *output_arg = NULL; /* popt allocates option strings */
    int require_kvm = 0, no_kvm = 0, rc;
    _cleanup_(cli_options_free) struct cli_options given;
    cli_options_init(&given, "dump", CC_CMD_DUMP);
    struct poptOption options[] = {
        {"output", 'o', POPT_ARG_STRING, &output_arg, 0,
         "write to FILE (atomically) instead of standard output", "FILE"},
        {"require-kvm", 0, POPT_ARG_NONE, &require_kvm, 0,
         "fail (exit 2) when the kvm view cannot be read", NULL},
        {"no-kvm", 0, POPT_ARG_NONE, &no_kvm, 0, "do not open /dev/kvm", NULL},
        CLI_OPTIONS_TABLE(&given),
        POPT_AUTOHELP POPT_TABLEEND,
    };
    _cleanup_(cli_popt_freep) poptContext pc =
        poptGetContext("cpucompat dump", argc, argv, options, 0);
    _cleanup_(cc_doc_freep) struct cc_doc *doc = NULL;
    const struct cc_arch_ops *arch;
    struct cc_probe_opts opts;
    struct cc_ctx *ctx;

    poptSetOtherOptionHelp(pc, "[-o FILE] [--require-kvm | --no-kvm]");
    if ((rc = cli_parse("dump", pc)) >= 0)
        return rc;
    if (poptPeekArg(pc))
        return cli_usage_error("dump", "unexpected argument '%s'", poptPeekArg(pc));
    if (require_kvm && no_kvm)
        return cli_usage_error("dump", "--require-kvm and --no-kvm contradict each other");
    if (!(ctx = cli_ctx(env)))
        return CLI_EXIT_ERROR;
    arch = cc_arch_host();
    if (!arch || !arch->probe) {
        cc_error(ENOTSUP, "dump: this build cannot probe this machine's architecture");
        return cli_fail();
    }
    if ((rc = cli_options_check(&given, arch, "this host is")) != 0)
        return rc;
    doc = cc_doc_new(arch);
    opts = (struct cc_probe_opts){.require_kvm = require_kvm,
                                  .skip_kvm = no_kvm,
                                  .options = &given.given,
                                  .note = defer_note};
    if (arch->probe(ctx, &opts, doc) < 0 || record_qemu(arch, doc) < 0 ||
        cc_doc_write(ctx, doc, output_arg ? output_arg : "-") < 0) {
        cc_strlist_free(&pending_notes);
        return cli_fail();
    }
    print_notes(&pending_notes);
    return cli_finish_stdout(CLI_EXIT_OK);
}

const struct cli_command cli_dump = {"dump", "probe this host and write its capability file", run};
