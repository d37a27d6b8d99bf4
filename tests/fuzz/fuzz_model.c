/* The --model parser of every architecture: compare's guest model and expand's model name over
 * any string (the first byte picks the architecture), against a real host of it. What expand
 * returns must write and read back, and its guest CPU export (expand --format) print; what
 * compare answers must print in every format. */
#include "fuzzlib.h"
#include "../../core/capdoc_io.h"
#include "../../core/cpudef.h"
#include "../../core/error.h"
#include "../../core/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cc_doc *hosts[3];

static void load_hosts(void)
{
    if (hosts[0])
        return;
    hosts[0] = fuzz_tree_doc("tests/data/x86/hosts/epyc-milan-nested-kvm.xml");
    hosts[1] = fuzz_tree_import("arm64-regs", "tests/data/arm64/neoverse-n1@linux-6.1.regs");
    hosts[2] = fuzz_tree_import("s390x-cpuinfo", "tests/data/s390x/rig-gen15a-clipped.cpuinfo");
}

/* expand --format takes qemu and libvirt only: each prints, or refuses in one line. */
static void export_formats(struct cc_node *tree)
{
    const enum cc_format formats[] = {CC_FORMAT_QEMU, CC_FORMAT_LIBVIRT};

    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);

        if (!out)
            abort();
        if (cc_report_write(tree, formats[i], out) < 0 &&
            (!cc_error_message()[0] || strchr(cc_error_message(), '\n')))
            fuzz_violation("an export refuses without a one-line message");
        cc_error_clear();
        if (fclose(out) != 0)
            abort();
        free(text);
    }
}

static void try_expand(struct cc_ctx *ctx, const struct cc_doc *host, const char *model)
{
    struct cc_doc *doc = cc_doc_new(host->arch), *back = NULL;
    char *xml = NULL;
    size_t len = 0;

    /* arm64 expands a model as a VMM gives it on a host; the others without one. */
    if (host->arch->expand(ctx, model, strcmp(host->arch->name, "aarch64") == 0 ? host : NULL,
                           "host", doc) != 0)
        goto out;
    if (cc_doc_to_xml(ctx, doc, &xml, &len) == 0 && cc_doc_parse(ctx, "expanded", xml, len, &back) < 0)
        fuzz_violation("expand '%s' wrote a file the reader refuses: %s", model,
                       cc_error_message());
    /* expand --format: a model it expanded has a guest CPU, or a one-line reason it has none. */
    if (!strchr(model, '\n')) {
        struct cc_node *tree = cc_report_new("expansion");

        if (!tree)
            abort();
        cc_add_string(tree, "model", model);
        if (cc_report_add_guest_cpu(ctx, doc->arch, tree, model, NULL, NULL, NULL) == 0)
            export_formats(tree);
        else if (!cc_error_message()[0] || strchr(cc_error_message(), '\n'))
            fuzz_violation("expand '%s' --format fails without a one-line message", model);
        cc_node_free(tree);
        cc_error_clear();
    }
out:
    free(xml);
    cc_doc_free(back);
    cc_doc_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cc_ctx *ctx = fuzz_begin();
    struct cc_compare_opts opts = {0};
    struct cc_verdict v = {0};
    const struct cc_doc *host;
    char *model;

    if (size < 1)
        return 0;
    load_hosts();
    cc_error_clear();
    host = hosts[data[0] % 3];
    /* A command-line argument ends at its first NUL. */
    model = strndup((const char *)data + 1, size - 1);
    if (!model)
        return 0;
    opts.model = model;
    if (host->arch->compare(ctx, host, "src", host, "dst", &opts, &v) == 0)
        fuzz_report(cc_report_compare(&v, "src", "dst"));
    cc_verdict_free(&v);
    cc_error_clear();
    if (host->arch->expand)
        try_expand(ctx, host, model);
    free(model);
    return 0;
}
