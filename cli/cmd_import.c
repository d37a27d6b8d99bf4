/* cpucompat import: turn data captured elsewhere into a capability file. */
#include "cli.h"
#include "../core/arch.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cc_import_format *find_format(const char *name, const struct cc_arch_ops **arch)
{
    for (size_t i = 0; cc_arch_table[i]; i++)
        for (size_t j = 0; j < cc_arch_table[i]->n_imports; j++)
            if (strcmp(cc_arch_table[i]->imports[j].name, name) == 0) {
                *arch = cc_arch_table[i];
                return &cc_arch_table[i]->imports[j];
            }
    return NULL;
}

/* "a, b or c" from every architecture's import table, for help and errors. */
static void format_names(char *buf, size_t len)
{
    size_t used = 0, total = 0, seen = 0;

    for (size_t i = 0; cc_arch_table[i]; i++)
        total += cc_arch_table[i]->n_imports;
    buf[0] = '\0';
    for (size_t i = 0; cc_arch_table[i]; i++)
        for (size_t j = 0; j < cc_arch_table[i]->n_imports && used < len; j++, seen++)
            used += (size_t)snprintf(buf + used, len - used, "%s%s",
                                     seen == 0           ? ""
                                     : seen + 1 == total ? " or "
                                                         : ", ",
                                     cc_arch_table[i]->imports[j].name);
}

static int run(struct cli_env *env, int argc, const char **argv)
{
    char *output_arg = NULL; /* popt allocates option strings; we own them */
    const char *output, *format, *file;
    int rc;
    struct poptOption options[] = {
        {"output", 'o', POPT_ARG_STRING, &output_arg, 0,
         "write to FILE (atomically) instead of standard output", "FILE"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    poptContext pc = poptGetContext("cpucompat import", argc, argv, options, 0);
    const struct cc_import_format *fmt;
    const struct cc_arch_ops *arch = NULL;
    struct cc_doc *doc = NULL;
    struct cc_ctx *ctx;
    char names[256], help[320];

    format_names(names, sizeof(names));
    snprintf(help, sizeof(help), "FORMAT FILE [-o OUT]   (FORMAT: %s)", names);
    poptSetOtherOptionHelp(pc, help);
    rc = cli_parse("import", pc);
    output = output_arg ? output_arg : "-";
    if (rc >= 0)
        goto out;
    format = poptGetArg(pc);
    file = poptGetArg(pc);
    if (!format || !file) {
        rc = cli_usage_error("import", "needs FORMAT and FILE");
        goto out;
    }
    if (poptPeekArg(pc)) {
        rc = cli_usage_error("import", "unexpected argument '%s'", poptPeekArg(pc));
        goto out;
    }
    fmt = find_format(format, &arch);
    if (!fmt) {
        rc = cli_usage_error("import", "unknown format '%s', expected %s", format, names);
        goto out;
    }
    rc = CLI_EXIT_ERROR;
    if (!(ctx = cli_ctx(env)))
        goto out;
    doc = cc_doc_new(arch);
    if (!doc) {
        cc_error(ENOMEM, "out of memory");
        cli_fail();
        goto out;
    }
    if (fmt->import(ctx, file, doc) < 0 || cc_doc_write(ctx, doc, output) < 0) {
        cli_fail();
        goto out;
    }
    /* Enabled features the source named and the catalog does not know: the file keeps them,
     * compare reports them; say so now (see cpucompat-import(1)). */
    for (size_t i = 0; i < doc->n_views; i++) {
        const char *unknown = cc_kv_get(&doc->views[i].props, "unknown-features");

        if (unknown)
            fprintf(stderr,
                    "cpucompat import: note: %s: %s view: features this catalog does not know "
                    "(kept; compare reports them): %s\n",
                    file, doc->views[i].name, unknown);
    }
    rc = cli_finish_stdout(CLI_EXIT_OK);
out:
    free(output_arg);
    cc_doc_free(doc);
    poptFreeContext(pc);
    return rc;
}

const struct cli_command cli_import = {
    "import", "turn CPU data captured elsewhere into a capability file", run};
