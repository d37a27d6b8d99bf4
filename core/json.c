#include "json.h"

#include <stdbool.h>

static void separate(struct cc_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth > 0) {
        if (!j->first[j->depth])
            putc_unlocked(',', j->out);
        j->first[j->depth] = false;
    }
}

void cc_json_init(struct cc_json *j, FILE *out)
{
    *j = (struct cc_json){.out = out};
}

static void open_(struct cc_json *j, char c)
{
    separate(j);
    putc_unlocked(c, j->out);
    if (j->depth < CC_JSON_MAX_DEPTH - 1)
        j->first[++j->depth] = true;
}

static void close_(struct cc_json *j, char c)
{
    putc_unlocked(c, j->out);
    if (j->depth > 0)
        j->depth--;
}

void cc_json_begin_object(struct cc_json *j)
{
    open_(j, '{');
}

void cc_json_end_object(struct cc_json *j)
{
    close_(j, '}');
}

void cc_json_begin_array(struct cc_json *j)
{
    open_(j, '[');
}

void cc_json_end_array(struct cc_json *j)
{
    close_(j, ']');
}

/* Bytes a JSON string holds as they are: not a control character, quote or backslash (bytes of
 * UTF-8 sequences pass through). */
static const bool plain[256] = {
    [0x20 ... 0x21] = true, /* 0x22 is the quote */
    [0x23 ... 0x5b] = true, /* 0x5c is the backslash */
    [0x5d ... 0x7e] = true, /* 0x7f is DEL, a control character */
    [0x80 ... 0xff] = true,
};

/* Runs of plain characters go out in one write: a fleet's report is megabytes of names. */
static void quoted(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;

    putc_unlocked('"', out);
    for (;; p++) {
        while (plain[*p])
            p++;
        if (p > run)
            fwrite_unlocked(run, 1, (size_t)(p - run), out);
        if (!*p)
            break;
        run = p + 1;
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else
            fprintf(out, "\\u%04x", *p);
    }
    putc_unlocked('"', out);
}

void cc_json_key(struct cc_json *j, const char *key)
{
    separate(j);
    quoted(j->out, key);
    putc_unlocked(':', j->out);
    j->after_key = true;
}

void cc_json_string(struct cc_json *j, const char *s)
{
    separate(j);
    quoted(j->out, s);
}

void cc_json_uint(struct cc_json *j, unsigned long long v)
{
    char buf[24], *p = buf + sizeof(buf);

    separate(j);
    /* by hand: a fleet's report has a number per host and per class pair */
    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10));
    fwrite_unlocked(p, 1, (size_t)(buf + sizeof(buf) - p), j->out);
}

void cc_json_bool(struct cc_json *j, bool v)
{
    separate(j);
    fputs_unlocked(v ? "true" : "false", j->out);
}

void cc_json_null(struct cc_json *j)
{
    separate(j);
    fputs_unlocked("null", j->out);
}

void cc_json_finish(struct cc_json *j)
{
    putc_unlocked('\n', j->out);
}
