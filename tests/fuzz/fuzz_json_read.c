/* core/json_read over any input (the reader of QMP replies and libvirt's JSON captures), and
 * the accessors the importers use on what it returns. */
#include "fuzzlib.h"
#include "../../core/json_read.h"

#include <stdlib.h>
#include <string.h>

static void walk(const struct cc_jval *v, unsigned depth)
{
    int64_t n;

    if (depth > CC_JSON_READ_MAX_DEPTH + 1)
        fuzz_violation("a value nested deeper than the reader's limit");
    switch (v->type) {
    case CC_JNUMBER:
        (void)cc_jval_int(v, INT64_MIN, INT64_MAX, &n);
        (void)cc_jval_int(v, 0, 255, &n);
        break;
    case CC_JSTRING:
        if (!v->str)
            fuzz_violation("a string without text");
        break;
    case CC_JOBJECT:
        for (size_t i = 0; i < v->n; i++) {
            if (!v->keys[i] || cc_jval_get(v, v->keys[i]) == NULL)
                fuzz_violation("a member its own name does not find");
            walk(&v->items[i], depth + 1);
        }
        break;
    case CC_JARRAY:
        for (size_t i = 0; i < v->n; i++)
            walk(&v->items[i], depth + 1);
        break;
    default:
        break;
    }
    (void)cc_jtype_name(v->type);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cc_jdocs docs = {0};
    char *text;

    fuzz_begin();
    /* The reader's contract: text[len] is NUL. */
    if (!(text = malloc(size + 1)))
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (cc_json_read("input", text, size, &docs) == 0)
        for (size_t i = 0; i < docs.n; i++)
            walk(&docs.docs[i], 0);
    cc_jdocs_free(&docs);
    free(text);
    return 0;
}
