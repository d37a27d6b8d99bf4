#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* One message per thread: the tool is single-threaded, but keeping it thread-local costs nothing
 * and keeps a future parallel baseline honest. */
static __thread char message[1024];

static void flatten(char *s)
{
    /* Errors are promised to be one line; libxml2 and strerror text may carry newlines. */
    for (; *s; s++)
        if (*s == '\n' || *s == '\r' || *s == '\t')
            *s = ' ';
    while (s > message && s[-1] == ' ')
        *--s = '\0';
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
