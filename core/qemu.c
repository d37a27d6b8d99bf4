#include "qemu.h"
#include "capdoc.h"
#include "ctx.h"
#include "error.h"
#include "strlist.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cc_qemu_version_parse(const char *s, int max_parts, unsigned *out)
{
    unsigned part[4] = {0};
    const char *p = s;
    int n = 0;

    while (n < max_parts) {
        size_t digits = strspn(p, "0123456789");

        if (digits == 0 || digits > 3 || (digits > 1 && p[0] == '0'))
            break;
        for (size_t i = 0; i < digits; i++)
            part[n] = part[n] * 10 + (unsigned)(p[i] - '0');
        n++;
        p += digits;
        if (*p != '.')
            break;
        p++;
    }
    if (n < 2 || *p != '\0' || p[-1] == '.')
        return cc_error(EINVAL, "'%s': not a QEMU version (X.Y or X.Y.Z)", s);
    *out = CC_QEMU_VERSION(part[0], part[1], part[2]);
    return 0;
}

void cc_qemu_version_format(unsigned v, char *buf, size_t len)
{
    if (v % 1000)
        snprintf(buf, len, "%u.%u.%u", v / 1000000, v / 1000 % 1000, v % 1000);
    else
        snprintf(buf, len, "%u.%u", v / 1000000, v / 1000 % 1000);
}

int cc_doc_qemu(const struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                unsigned *version, enum cc_qemu_from *from)
{
    const char *s = cc_kv_get(&doc->origin, "qemu-version");

    if (ctx->qemu_override) {
        *version = ctx->qemu_override;
        *from = CC_QEMU_FROM_OPTION;
    } else if (s) {
        if (cc_qemu_version_parse(s, 4, version) < 0)
            return cc_error_prefix(EINVAL, "%s: origin qemu-version", file);
        *from = CC_QEMU_FROM_FILE;
    } else {
        *version = CC_QEMU_DEFAULT;
        *from = CC_QEMU_FROM_DEFAULT;
    }
    return 0;
}

#define DEFAULT_NOTE " record%s no QEMU version (see --qemu): judged as QEMU %s"

char *cc_qemu_default_note(const char *file)
{
    char v[CC_QEMU_VERSION_LEN], *note;

    cc_qemu_version_format(CC_QEMU_DEFAULT, v, sizeof(v));
    if (asprintf(&note, "%s" DEFAULT_NOTE, file, "s", v) < 0)
        return NULL;
    return note;
}

/* Files named in full in the merged note; a group of hundreds names the first few. */
#define MERGED_FILES 4

void cc_qemu_default_notes_merge(struct cc_strlist *notes)
{
    char v[CC_QEMU_VERSION_LEN], suffix[96], *merged;
    size_t len, files = 0, first = SIZE_MAX, kept = 0;

    cc_qemu_version_format(CC_QEMU_DEFAULT, v, sizeof(v));
    len = (size_t)snprintf(suffix, sizeof(suffix), DEFAULT_NOTE, "s", v);
    for (size_t i = 0; i < notes->n; i++) {
        size_t n = strlen(notes->items[i]);

        if (n > len && !strcmp(notes->items[i] + n - len, suffix)) {
            files++;
            first = first == SIZE_MAX ? i : first;
        }
    }
    if (files < 2)
        return;
    merged = xasprintf("%zu hosts" DEFAULT_NOTE ":", files, "", v);
    for (size_t i = 0, named = 0; i < notes->n; i++) {
        char *s = notes->items[i], *more;
        size_t n = strlen(s);

        if (n <= len || strcmp(s + n - len, suffix) != 0) {
            notes->items[kept++] = s;
            continue;
        }
        if (named++ < MERGED_FILES)
            more = xasprintf("%s%s %.*s", merged, named > 1 ? "," : "", (int)(n - len), s);
        else if (named == files)
            more = xasprintf("%s and %zu more", merged, files - MERGED_FILES);
        else
            more = NULL;
        if (more) {
            free(merged);
            merged = more;
        }
        free(s);
        if (i == first)
            notes->items[kept++] = NULL; /* the merged note's place */
    }
    notes->n = kept;
    for (size_t i = 0; i < kept; i++)
        if (!notes->items[i])
            notes->items[i] = merged;
}

int cc_doc_qemu_judged(const struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                       unsigned oldest, unsigned *qemu, struct cc_strlist *notes)
{
    enum cc_qemu_from from;
    char v[CC_QEMU_VERSION_LEN], low[CC_QEMU_VERSION_LEN];
    int r = cc_doc_qemu(ctx, doc, file, qemu, &from);

    if (r < 0)
        return r;
    if (*qemu < oldest) {
        cc_qemu_version_format(*qemu, v, sizeof(v));
        cc_qemu_version_format(oldest, low, sizeof(low));
        return cc_error(EINVAL, "%s: QEMU %s is older than the oldest release cpucompat knows (%s)",
                        from == CC_QEMU_FROM_OPTION ? "--qemu" : file, v, low);
    }
    if (from == CC_QEMU_FROM_DEFAULT && notes) {
        char *note = cc_qemu_default_note(file);

        if (!note)
            return cc_error(ENOMEM, "out of memory");
        if (!cc_strlist_contains(notes, note))
            r = cc_strlist_add(notes, note);
        free(note);
    }
    return r;
}
