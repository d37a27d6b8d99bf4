/* cpucompat compare: can a guest CPU move from SRC to DST, and what exactly blocks it. */
#include "cli.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"
#include "../core/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(struct cli_env *env, int argc, const char **argv)
{
    char *format_arg = NULL, *model = NULL, *midr_policy = NULL;
    const char *src, *dst;
    int invtsc = 0, rc;
    enum cc_format fmt;
    struct poptOption options[] = {
        {"model", 'm', POPT_ARG_STRING, &model, 0,
         "the guest: a QEMU -cpu string or x86-64 psABI level (default: the migratable host "
         "model of SRC); with one file, can the destination run it",
         "MODEL"},
        {"invtsc", 0, POPT_ARG_NONE, &invtsc, 0, "the guest exposes invtsc (pinned TSC frequency)",
         NULL},
        {"midr-policy", 0, POPT_ARG_STRING, &midr_policy, 0,
         "arm64: MIDR values treated as one family (see cpucompat-compare(1))", "FILE"},
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0, "text (default), json or xml", "FORMAT"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    poptContext pc = poptGetContext("cpucompat compare", argc, argv, options, 0);
    struct cc_doc *docs[2] = {NULL, NULL}, *sdoc, *ddoc;
    struct cc_verdict v = {0};
    struct cc_compare_opts opts;
    struct cc_ctx *ctx;

    poptSetOtherOptionHelp(pc, "[SRC] DST [--model MODEL] [--invtsc] [--midr-policy FILE] "
                               "[--format text|json|xml]");
    rc = cli_parse("compare", pc);
    if (rc >= 0)
        goto out;
    src = poptGetArg(pc);
    dst = poptGetArg(pc);
    if (src && !dst && model) { /* the destination's question: can it run this guest */
        dst = src;
        src = NULL;
    }
    if (!dst || poptPeekArg(pc)) {
        rc = cli_usage_error("compare", "needs two files, SRC and DST (or one, DST, with "
                                        "--model)");
        goto out;
    }
    rc = CLI_EXIT_ERROR;
    if (!(ctx = cli_setup(env, format_arg, 7, &fmt)))
        goto out;
    if (src ? cli_read_hosts(ctx, (const char *[]){src, dst}, 2, docs) < 0
            : cli_read_hosts(ctx, (const char *[]){dst}, 1, &docs[1]) < 0)
        goto out;
    sdoc = docs[0];
    ddoc = docs[1];
    if (!ddoc->arch->compare) {
        cc_error(ENOTSUP, "%s: compare is not supported for %s yet", dst, ddoc->arch->name);
        cli_fail();
        goto out;
    }
    opts = (struct cc_compare_opts){.model = model, .invtsc = invtsc, .midr_policy = midr_policy};
    if (ddoc->arch->compare(ctx, sdoc, src, ddoc, dst, &opts, &v) < 0) {
        cli_fail();
        goto out;
    }
    rc = cli_print_verdict(&v, src, dst, fmt);
out:
    cc_verdict_free(&v);
    cc_doc_free(docs[0]);
    cc_doc_free(docs[1]);
    free(format_arg);
    free(model);
    free(midr_policy);
    poptFreeContext(pc);
    return rc;
}

const struct cli_command cli_compare = {
    "compare", "can a guest CPU move from SRC to DST (exit 0 yes, 1 no)", run};
