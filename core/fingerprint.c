#include "fingerprint.h"
#include "arch.h"
#include "error.h"
#include "hash_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cc_fingerprint_of(const char *canonical, size_t len, char out[CC_FINGERPRINT_LEN])
{
    /* FNV-1a with splitmix64's finaliser (hash_index.c): fixed constants, no seed, so a
     * fingerprint is the same on every machine and in every release that keeps the form. */
    snprintf(out, CC_FINGERPRINT_LEN, "%016llx", (unsigned long long)cc_hash_bytes(canonical, len));
}

int cc_canonical(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file, char **canonical)
{
    if (!doc->arch->canonical)
        return cc_error(ENOTSUP, "%s: no canonical CPU form for %s yet", file, doc->arch->name);
    return doc->arch->canonical(ctx, doc, file, canonical);
}

int cc_fingerprint(struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                   char out[CC_FINGERPRINT_LEN], char **canonical)
{
    char *text = NULL;
    int r;

    if ((r = cc_canonical(ctx, doc, file, &text)) < 0)
        return r;
    cc_fingerprint_of(text, strlen(text), out);
    if (canonical)
        *canonical = text;
    else
        free(text);
    return 0;
}
