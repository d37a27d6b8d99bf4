#include "json_read.h"
#include "cleanup.h"
#include "error.h"
#include "xml_load.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    const char *file;
    const unsigned char *p, *end;
    const unsigned char *start;
    size_t values;
};

static unsigned line_of(const struct parser *ps)
{
    unsigned line = 1;

    for (const unsigned char *q = ps->start; q < ps->p && q < ps->end; q++)
        line += *q == '\n';
    return line;
}

#define FAIL(ps, ...) fail(ps, __VA_ARGS__)
static int fail(const struct parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(const struct parser *ps, const char *fmt, ...)
{
    char msg[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (ps->p >= ps->end)
        return cc_error(EINVAL, "%s: truncated JSON: %s at the end of the text", ps->file, msg);
    return cc_error(EINVAL, "%s: line %u: bad JSON: %s", ps->file, line_of(ps), msg);
}

static void jval_clear(struct cc_jval *v)
{
    free(v->str);
    for (size_t i = 0; i < v->n; i++) {
        jval_clear(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    *v = (struct cc_jval){0};
}

void cc_jdocs_free(struct cc_jdocs *d)
{
    for (size_t i = 0; i < d->n; i++)
        jval_clear(&d->docs[i]);
    free(d->docs);
    *d = (struct cc_jdocs){0};
}

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int literal(struct parser *ps, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return FAIL(ps, "unexpected '%c'", *ps->p);
    ps->p += n;
    return 0;
}

static int hex4(struct parser *ps, unsigned *out)
{
    unsigned v = 0;

    for (int i = 0; i < 4; i++, ps->p++) {
        unsigned c = ps->p < ps->end ? *ps->p : 0, d;

        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            return FAIL(ps, "bad \\u escape");
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

static size_t put_utf8(unsigned char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xc0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xe0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (unsigned char)(0xf0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Length of the well-formed UTF-8 sequence at p (1-4), 0 if it is not one: no overlong forms,
 * no surrogates, nothing above U+10FFFF. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0], cp, min;
    size_t n;

    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0)
        n = 2, cp = c & 0x1f, min = 0x80;
    else if ((c & 0xf0) == 0xe0)
        n = 3, cp = c & 0x0f, min = 0x800;
    else if ((c & 0xf8) == 0xf0)
        n = 4, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

static int string(struct parser *ps, char **out)
{
    const unsigned char *q;
    unsigned char *buf, *o;

    ps->p++; /* the opening quote */
    /* The decoded text is never longer than its source. */
    for (q = ps->p; q < ps->end && *q != '"'; q++)
        if (*q == '\\' && q + 1 < ps->end)
            q++;
    if (q >= ps->end) {
        ps->p = ps->end;
        return FAIL(ps, "unterminated string");
    }
    o = buf = malloc((size_t)(q - ps->p) + 1);
    if (!buf)
        return cc_error(ENOMEM, "out of memory");
    while (*ps->p != '"') {
        unsigned c = *ps->p, cp, lo;
        size_t n;

        if (c < 0x20) {
            free(buf);
            return FAIL(ps, "control character in a string");
        }
        if (c < 0x80 && c != '\\') {
            /* A run of plain ASCII in one copy: most text is that. */
            const unsigned char *run = ps->p;

            while (*run >= 0x20 && *run < 0x80 && *run != '"' && *run != '\\')
                run++;
            memcpy(o, ps->p, (size_t)(run - ps->p));
            o += run - ps->p;
            ps->p = run;
            continue;
        }
        if (c != '\\') {
            if (!(n = utf8_len(ps->p, ps->end))) {
                free(buf);
                return FAIL(ps, "invalid UTF-8");
            }
            memcpy(o, ps->p, n);
            o += n;
            ps->p += n;
            continue;
        }
        ps->p++;
        switch (*ps->p++) {
        case '"':
            *o++ = '"';
            break;
        case '\\':
            *o++ = '\\';
            break;
        case '/':
            *o++ = '/';
            break;
        case 'b':
            *o++ = '\b';
            break;
        case 'f':
            *o++ = '\f';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 't':
            *o++ = '\t';
            break;
        case 'u':
            if (hex4(ps, &cp) < 0) {
                free(buf);
                return -EINVAL;
            }
            if (cp >= 0xd800 && cp <= 0xdbff) {
                if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u') {
                    free(buf);
                    return FAIL(ps, "lone surrogate in a \\u escape");
                }
                ps->p += 2;
                if (hex4(ps, &lo) < 0) {
                    free(buf);
                    return -EINVAL;
                }
                if (lo < 0xdc00 || lo > 0xdfff) {
                    free(buf);
                    return FAIL(ps, "lone surrogate in a \\u escape");
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if ((cp >= 0xdc00 && cp <= 0xdfff) || cp == 0) {
                free(buf);
                return FAIL(ps, cp ? "lone surrogate in a \\u escape" : "NUL in a string");
            }
            /* 12 source bytes make at most 4: the buffer bound holds. */
            o += put_utf8(o, cp);
            break;
        default:
            ps->p--;
            free(buf);
            return FAIL(ps, "bad escape");
        }
    }
    ps->p++; /* the closing quote */
    *o = '\0';
    *out = (char *)buf;
    return 0;
}

static int number(struct parser *ps, struct cc_jval *v)
{
    const unsigned char *s = ps->p;
    bool digits;

    if (ps->p < ps->end && *ps->p == '-')
        ps->p++;
    if (ps->p < ps->end && *ps->p == '0')
        ps->p++;
    else if (ps->p < ps->end && *ps->p >= '1' && *ps->p <= '9')
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
            ps->p++;
    else
        return FAIL(ps, "bad number");
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        for (digits = false; ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9'; digits = true)
            ps->p++;
        if (!digits)
            return FAIL(ps, "bad number");
    }
    if (ps->p < ps->end && (*ps->p | 0x20) == 'e') {
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
            ps->p++;
        for (digits = false; ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9'; digits = true)
            ps->p++;
        if (!digits)
            return FAIL(ps, "bad number");
    }
    v->type = CC_JNUMBER;
    v->str = strndup((const char *)s, (size_t)(ps->p - s));
    return v->str ? 0 : cc_error(ENOMEM, "out of memory");
}

static int value(struct parser *ps, struct cc_jval *v, unsigned depth);

static int grow(struct cc_jval *v, size_t *cap, bool keys)
{
    size_t ncap = *cap ? *cap * 2 : 8;
    struct cc_jval *items;

    if (v->n < *cap)
        return 0;
    items = reallocarray(v->items, ncap, sizeof(*items));
    if (!items)
        return cc_error(ENOMEM, "out of memory");
    v->items = items;
    if (keys) {
        char **k = reallocarray(v->keys, ncap, sizeof(*k));
        if (!k)
            return cc_error(ENOMEM, "out of memory");
        v->keys = k;
    }
    *cap = ncap;
    return 0;
}

static int container(struct parser *ps, struct cc_jval *v, unsigned depth)
{
    bool object = *ps->p == '{';
    char close = object ? '}' : ']';
    size_t cap = 0;
    int r;

    if (depth >= CC_JSON_READ_MAX_DEPTH)
        return FAIL(ps, "nested deeper than %d levels", CC_JSON_READ_MAX_DEPTH);
    v->type = object ? CC_JOBJECT : CC_JARRAY;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 0;
    }
    for (;;) {
        char *key = NULL;

        skip_ws(ps);
        if (object) {
            if (ps->p >= ps->end || *ps->p != '"')
                return FAIL(ps, "expected a member name");
            if ((r = string(ps, &key)) < 0)
                return r;
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                free(key);
                return FAIL(ps, "expected ':'");
            }
            ps->p++;
        }
        if ((r = grow(v, &cap, object)) < 0) {
            free(key);
            return r;
        }
        v->items[v->n] = (struct cc_jval){0};
        if (object)
            v->keys[v->n] = key;
        v->n++;
        if ((r = value(ps, &v->items[v->n - 1], depth + 1)) < 0)
            return r;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return 0;
        }
        return FAIL(ps, "expected ',' or '%c'", close);
    }
}

static int value(struct parser *ps, struct cc_jval *v, unsigned depth)
{
    if (++ps->values > CC_JSON_READ_MAX_VALUES)
        return FAIL(ps, "more than %u values", CC_JSON_READ_MAX_VALUES);
    skip_ws(ps);
    if (ps->p >= ps->end)
        return FAIL(ps, "expected a value");
    switch (*ps->p) {
    case '{':
    case '[':
        return container(ps, v, depth);
    case '"':
        v->type = CC_JSTRING;
        return string(ps, &v->str);
    case 't':
        v->type = CC_JBOOL;
        v->b = true;
        return literal(ps, "true");
    case 'f':
        v->type = CC_JBOOL;
        return literal(ps, "false");
    case 'n':
        v->type = CC_JNULL;
        return literal(ps, "null");
    default:
        if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
            return number(ps, v);
        if (*ps->p >= 0x20 && *ps->p < 0x7f)
            return FAIL(ps, "unexpected '%c'", *ps->p);
        return FAIL(ps, "unexpected byte 0x%02x", *ps->p);
    }
}

int cc_json_read(const char *file, const char *text, size_t len, struct cc_jdocs *out)
{
    struct parser ps = {file, (const unsigned char *)text, (const unsigned char *)text + len,
                        (const unsigned char *)text, 0};
    struct cc_jdocs d = {0};
    size_t cap = 0;
    int r = 0;

    if (len > CC_JSON_READ_MAX_BYTES)
        return cc_error(EFBIG, "%s: larger than %u MiB, not a QEMU reply", file,
                        CC_JSON_READ_MAX_BYTES >> 20);
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        ps.p += 3;
    for (skip_ws(&ps); ps.p < ps.end && r == 0; skip_ws(&ps)) {
        if (d.n == cap) {
            struct cc_jval *docs = reallocarray(d.docs, cap ? cap * 2 : 4, sizeof(*docs));
            if (!docs) {
                r = cc_error(ENOMEM, "out of memory");
                break;
            }
            d.docs = docs;
            cap = cap ? cap * 2 : 4;
        }
        d.docs[d.n] = (struct cc_jval){0};
        d.n++;
        if (*ps.p != '{' && *ps.p != '[')
            r = FAIL(&ps, "a document must be an object or an array");
        else
            r = value(&ps, &d.docs[d.n - 1], 0);
    }
    if (r == 0 && d.n == 0)
        r = cc_error(EINVAL, "%s: no JSON document", file);
    if (r < 0) {
        cc_jdocs_free(&d);
        return r;
    }
    *out = d;
    return 0;
}

int cc_json_read_file(const char *path, struct cc_jdocs *out)
{
    _cleanup_free_ char *text = NULL;
    size_t len;
    int r = cc_read_file(path, CC_JSON_READ_MAX_BYTES, &text, &len);

    return r < 0 ? r : cc_json_read(path, text, len, out);
}

const struct cc_jval *cc_jval_get(const struct cc_jval *v, const char *key)
{
    if (!v || v->type != CC_JOBJECT)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0)
            return &v->items[i];
    return NULL;
}

int cc_jval_int(const struct cc_jval *v, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    long long x;

    if (!v || v->type != CC_JNUMBER || strpbrk(v->str, ".eE"))
        return -EINVAL;
    errno = 0;
    x = strtoll(v->str, &end, 10);
    if (errno || *end || x < min || x > max)
        return -EINVAL;
    *out = x;
    return 0;
}

const char *cc_jtype_name(enum cc_jtype t)
{
    static const char *const names[] = {"null", "boolean", "number", "string", "array", "object"};

    return (unsigned)t < CC_ARRAY_SIZE(names) ? names[t] : "?";
}
