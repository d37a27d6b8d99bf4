#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* One message per thread: the tool is single-threaded, but keeping it thread-local costs nothing
 * and keeps a future parallel baseline honest. */
static __thread char message[1024];

void cc_utf8_cut(char *s)
{
    size_t len = strlen(s), i = len;
    unsigned char lead;

    while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
        i--;
    if (i == 0 || (lead = (unsigned char)s[i - 1]) < 0xc0)
        return;
    if (len - (i - 1) < (lead >= 0xf0 ? 4u : lead >= 0xe0 ? 3u : 2u))
        s[i - 1] = '\0';
}

static void flatten(char *s)
{
    /* Errors are promised to be one line; libxml2 and strerror text may carry newlines. */
    for (; *s; s++)
        if (*s == '\n' || *s == '\r' || *s == '\t')
            *s = ' ';
    while (s > message && s[-1] == ' ')
        *--s = '\0';
    /* A message cut at the buffer's end is cut between characters (output is UTF-8). */
    cc_utf8_cut(message);
}

int cc_error(int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    flatten(message);
    return code > 0 ? -code : (code < 0 ? code : -EINVAL);
}

int cc_error_prefix(int code, const char *fmt, ...)
{
    char prefix[512], old[sizeof(message)];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    memcpy(old, message, sizeof(old));
    /* A long message is cut short rather than dropped; it is still one useful line. */
    if (snprintf(message, sizeof(message), "%s: %s", prefix, old) >= (int)sizeof(message))
        message[sizeof(message) - 1] = '\0';
    flatten(message);
    return code > 0 ? -code : (code < 0 ? code : -EINVAL);
}

const char *cc_error_message(void)
{
    return message[0] ? message : "unknown error";
}

void cc_error_clear(void)
{
    message[0] = '\0';
}
