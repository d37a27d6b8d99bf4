/* The --model parser of every architecture: compare's guest model and expand's model name over
 * any string (the first byte picks the architecture), against a real host of it. What expand
 * returns must write and read back; what compare answers must print in every format. */
#include "fuzzlib.h"
#include "../../core/capdoc_io.h"
#include "../../core/error.h"
#include "../../core/report.h"

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

static void try_expand(struct cc_ctx *ctx, const struct cc_doc *host, const char *model)
{
    struct cc_doc *doc = cc_doc_new(host->arch), *back = NULL;
    char *xml = NULL;
    size_t len = 0;

    /* arm64 expands a model as a VMM gives it on a host; the others without one. */
    if (host->arch->expand(ctx, model, strcmp(host->arch->name, "aarch64") == 0 ? host : NULL,
                           "host", doc) == 0 &&
        cc_doc_to_xml(ctx, doc, &xml, &len) == 0 &&
        cc_doc_parse(ctx, "expanded", xml, len, &back) < 0)
        fuzz_violation("expand '%s' wrote a file the reader refuses: %s", model,
                       cc_error_message());
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
