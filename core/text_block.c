#include "text_block.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cc_text_append_grow(struct cc_text *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        char *p;

        while (cap < t->len + n + 1)
            cap *= 2;
        p = realloc(t->buf, cap);
        if (!p) {
            t->failed = true;
            return;
        }
        t->buf = p;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

static void newline(struct cc_text *t, int indent)
{
    static const char spaces[] = "                                ";

    cc_text_append(t, "\n", 1);
    cc_text_append(t, spaces,
                   (size_t)indent < sizeof(spaces) - 1 ? (size_t)indent : sizeof(spaces) - 1);
    t->col = (size_t)indent;
}

void cc_text_line(struct cc_text *t, int indent, const char *fmt, ...)
{
    char small[256], *line = small;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    /* Long rows (s390x facility lists) take a buffer of their own. */
    if (n >= 0 && (size_t)n >= sizeof(small)) {
        va_start(ap, fmt);
        n = vasprintf(&line, fmt, ap);
        va_end(ap);
        if (n < 0)
            line = NULL;
    }
    if (n < 0) {
        t->failed = true;
        return;
    }
    newline(t, indent);
    cc_text_append(t, line, (size_t)n);
    t->col += (size_t)n;
    if (line != small)
        free(line);
}

void cc_text_wrapped(struct cc_text *t, const char *word, int indent)
{
    size_t n = strlen(word);

    if (t->len == 0 || t->col + 1 + n > CC_TEXT_WIDTH) {
        newline(t, indent);
    } else {
        cc_text_append(t, " ", 1);
        t->col++;
    }
    cc_text_append(t, word, n);
    t->col += n;
}

void cc_text_u64(struct cc_text *t, uint64_t v, unsigned base)
{
    char digits[24], *p = digits + sizeof(digits);

    do
        *--p = "0123456789abcdef"[v % base];
    while ((v /= base));
    cc_text_append(t, p, (size_t)(digits + sizeof(digits) - p));
}

void cc_text_end_block(struct cc_text *t, int indent)
{
    newline(t, indent);
    if (!t->buf)
        cc_text_append(t, "", 0);
}

/* Eight hex digits at p at once (a reader parses a hundred thousand files' tables): every byte
 * in '0'..'9' or 'a'..'f', tested as ranges on all eight bytes together. */
static bool hex8(const char *p, uint64_t *out)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t x, digit, letter, v;

    memcpy(&x, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x); /* the first character in the low byte, as on little-endian */
#endif
    if (x & high)
        return false;
    /* bit 7 of a byte: at least the range's first character, and not past its last */
    digit = (x + ones * (0x80 - '0')) & ~(x + ones * (0x7f - '9'));
    letter = (x + ones * (0x80 - 'a')) & ~(x + ones * (0x7f - 'f'));
    if (((digit | letter) & high) != high)
        return false;
    v = (x & ones * 0x0f) + 9 * ((x >> 6) & ones); /* 'a' is 0x61: 1 + 9 */
    /* the first character is the most significant digit: join pairs, then fours, then eights */
    v = ((v << 4) | (v >> 8)) & 0x00ff00ff00ff00ffULL;
    v = ((v << 8) | (v >> 16)) & 0x0000ffff0000ffffULL;
    *out = ((v << 16) | (v >> 32)) & 0xffffffffULL;
    return true;
}

const char *cc_hex_field(const char *p, const char *end, int digits, uint64_t *out)
{
    uint64_t v = 0;

    if (p[0] != '0' || p[1] != 'x')
        return NULL;
    p += 2;
    for (; digits >= 8 && end && end - p >= 8; digits -= 8, p += 8) {
        uint64_t part;

        if (!hex8(p, &part))
            return NULL;
        v = v << 32 | part;
    }
    for (int i = 0; i < digits; i++, p++) {
        /* Unsigned differences: one compare per range (a NUL is in neither). */
        unsigned c = (unsigned char)*p, d = c - '0';

        if (d > 9) {
            d = c - 'a';
            if (d > 5)
                return NULL;
            d += 10;
        }
        v = v << 4 | d;
    }
    *out = v;
    return p;
}
