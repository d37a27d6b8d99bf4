/* Two capability files through compare (both ways), baseline and models, as `cpucompat compare
 * A B` and `cpucompat baseline A B` would take them. The input is the two files separated by a
 * NUL byte (XML holds none, so the split is unambiguous). Every answer must print in every
 * format. */
#include "fuzzlib.h"
#include "../../core/capdoc_io.h"
#include "../../core/error.h"
#include "../../core/report.h"

#include <string.h>

static void compare(struct cc_ctx *ctx, const struct cc_doc *s, const char *sf,
                    const struct cc_doc *d, const char *df)
{
    struct cc_compare_opts opts = {0};
    struct cc_verdict v = {0};

    if (s->arch->compare && s->arch->compare(ctx, s, sf, d, df, &opts, &v) == 0)
        fuzz_report(cc_report_compare(&v, sf, df));
    cc_verdict_free(&v);
    cc_error_clear();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cc_ctx *ctx = fuzz_begin();
    const uint8_t *sep = memchr(data, '\0', size);
    struct cc_doc *docs[2] = {NULL, NULL};
    const char *files[2] = {"a.xml", "b.xml"};
    struct cc_models_report models = {0};
    struct cc_baseline b = {0};

    if (!sep)
        return 0;
    if (cc_doc_parse(ctx, files[0], (const char *)data, (size_t)(sep - data), &docs[0]) < 0 ||
        cc_doc_parse(ctx, files[1], (const char *)sep + 1, size - (size_t)(sep - data) - 1,
                     &docs[1]) < 0 ||
        docs[0]->arch != docs[1]->arch)
        goto out;
    compare(ctx, docs[0], files[0], docs[1], files[1]);
    compare(ctx, docs[1], files[1], docs[0], files[0]);
    if (docs[0]->arch->baseline &&
        docs[0]->arch->baseline(ctx, (const struct cc_doc *const *)docs, files, 2, true, &b) == 0)
        fuzz_report(cc_report_baseline(&b, files, 2));
    cc_baseline_free(&b);
    cc_error_clear();
    if (docs[0]->arch->models && docs[0]->arch->models(ctx, docs[0], files[0], &models) == 0)
        fuzz_report(cc_report_models(&models, files[0]));
    cc_models_report_free(&models);
out:
    cc_doc_free(docs[0]);
    cc_doc_free(docs[1]);
    return 0;
}
