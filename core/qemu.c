#include "qemu.h"
#include "capdoc.h"
#include "ctx.h"
#include "error.h"

#include <stdio.h>
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

char *cc_qemu_default_note(const char *file)
{
    char v[CC_QEMU_VERSION_LEN], *note;

    cc_qemu_version_format(CC_QEMU_DEFAULT, v, sizeof(v));
    if (asprintf(&note, "%s records no QEMU version (see --qemu): judged as QEMU %s", file, v) < 0)
        return NULL;
    return note;
}
