/* Building the text content of line-oriented elements (raw register tables, feature lists) so
 * that files stay readable and stable byte for byte. */
#ifndef CC_TEXT_BLOCK_H
#define CC_TEXT_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Indentation of content inside <view><raw><x> and <view><features>. */
#define CC_TEXT_INDENT_RAW  8
#define CC_TEXT_INDENT_VIEW 6
#define CC_TEXT_WIDTH       100

struct cc_text {
    char *buf;
    size_t len, cap, col;
    bool failed;
};

/* Appends one line (a newline and indent first). */
void cc_text_line(struct cc_text *t, int indent, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends a word, starting a new indented line when the current one would grow too long. */
void cc_text_wrapped(struct cc_text *t, const char *word, int indent);
/* Appends n bytes of s, a string, or v in base 10 or 16 (lower-case, no prefix): texts built
 * once per host of a fleet (canonical forms), where printf's cost shows. */
void cc_text_append_grow(struct cc_text *t, const char *s, size_t n);
static inline void cc_text_append(struct cc_text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap || t->failed) {
        cc_text_append_grow(t, s, n);
        return;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}
static inline void cc_text_puts(struct cc_text *t, const char *s)
{
    cc_text_append(t, s, strlen(s));
}
void cc_text_u64(struct cc_text *t, uint64_t v, unsigned base);
/* Ends the block: a newline and the indent of the closing tag. */
void cc_text_end_block(struct cc_text *t, int indent);

#include <stdint.h>

/* Parses "0x" and exactly `digits` lower-case hex digits at p, as the writers make them;
 * returns the end, or NULL when the text is not exactly that. end is where p's string ends
 * (its NUL): eight digits are then read at a time, never past it. */
const char *cc_hex_field(const char *p, const char *end, int digits, uint64_t *out);

#endif
