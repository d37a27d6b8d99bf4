/* Error reporting: a failing function returns a negative errno value and leaves one line of
 * text describing the problem. Only the command-line edge turns that into an exit status. */
#ifndef CC_ERROR_H
#define CC_ERROR_H

#include <errno.h>

/* Records the message (printf-style) and returns -code, so callers can write
 * `return cc_error(EINVAL, "%s: bad value", path);`. code is a positive errno. */
int cc_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes the current message with "prefix: ", keeping the code; returns -code. */
int cc_error_prefix(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *cc_error_message(void);
/* Drops an incomplete UTF-8 character from the end of s: text cut to fit a buffer (a value
 * libxml2 quotes in its message) stays valid UTF-8. */
void cc_utf8_cut(char *s);
void cc_error_clear(void);

#endif
