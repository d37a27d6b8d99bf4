/* The capability-file reader (cc_doc_read, as every command reads a file) over any input. What
 * it accepts must show in every format, write, and read back to the same bytes. */
#include "fuzzlib.h"
#include "../../core/capdoc_io.h"
#include "../../core/error.h"
#include "../../core/inventory_memo.h"
#include "../../core/show.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cc_ctx *ctx = fuzz_begin();
    struct cc_doc *doc = NULL, *back = NULL;
    struct cc_node *report = NULL;
    char *xml = NULL, *again = NULL;
    size_t len = 0, len2 = 0;

    if (cc_doc_read(ctx, fuzz_file(data, size), &doc) < 0)
        return 0;
    for (size_t i = 0; i < doc->n_views; i++) {
        char line[256];

        if (doc->arch->raw_summary && doc->views[i].raw)
            doc->arch->raw_summary(doc->views[i].raw, line, sizeof(line));
    }
    /* The inventory's memory of files leaves out the origin's hostname and created values and
     * nothing else: the key is the input less some of exactly those lengths. */
    {
        const char *host = cc_kv_get(&doc->origin, "hostname"),
                   *made = cc_kv_get(&doc->origin, "created");
        size_t h = host ? strlen(host) : 0, c = made ? strlen(made) : 0;
        struct cc_inv_memo_key key = {0};

        cc_inv_memo_key(&key, (const char *)data, size, host, made);
        if (key.len != size && key.len != size - h && key.len != size - c &&
            key.len != size - h - c)
            fuzz_violation("the memory's key of %zu bytes left out %zu, not hostname (%zu) "
                           "and created (%zu)",
                           size, size - key.len, h, c);
        cc_inv_memo_key_free(&key);
    }
    if (cc_show(ctx, doc, "input", &report) < 0) {
        cc_error_clear();
    } else {
        fuzz_report(report);
    }
    /* A file written by another version may hold what this one cannot decode; then writing
     * fails with a message, never with a file the reader refuses. */
    if (cc_doc_to_xml(ctx, doc, &xml, &len) == 0) {
        if (cc_doc_parse(ctx, "written", xml, len, &back) < 0)
            fuzz_violation("a file read and written again is refused: %s", cc_error_message());
        if (cc_doc_to_xml(ctx, back, &again, &len2) < 0)
            fuzz_violation("a written file read back does not write: %s", cc_error_message());
        if (len != len2 || memcmp(xml, again, len) != 0)
            fuzz_violation("a written file read back writes different bytes");
    }
    free(again);
    free(xml);
    cc_doc_free(back);
    cc_doc_free(doc);
    return 0;
}
