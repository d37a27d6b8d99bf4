#include "x86_import.h"
#include "../../core/error.h"

#include <string.h>

int x86_import_finish(struct cc_ctx *ctx, const char *path, const char *format, struct x86_raw *raw,
                      struct cc_doc *doc)
{
    const struct x86_catalog *cat;
    int r = x86_catalog_get(ctx, &cat);

    if (r == 0 && raw->n_cpuid == 0)
        r = cc_error(EINVAL, "%s: no CPUID values found", path);
    if (r == 0) {
        x86_mask_per_cpu(cat, raw);
        x86_raw_sort(raw);
        r = x86_identity_from_raw(doc, raw, path);
    }
    if (r == 0)
        r = cc_doc_stamp_import(doc, format, path);
    return cc_doc_finish_view(doc, r, "cpu", format, raw, NULL, NULL);
}
