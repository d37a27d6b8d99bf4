/* "Did you mean": the known name nearest to a mistyped one, for the one-line errors of unknown
 * commands, formats, models and features. */
#ifndef CC_SUGGEST_H
#define CC_SUGGEST_H

#include <stddef.h>

/* Names longer than this are not slips of a known name: no suggestion (and bounded work). */
#define CC_SUGGEST_MAX 64

struct cc_suggest {
    const char *word;
    const char *best; /* a candidate, as given (not copied) */
    unsigned distance;
    size_t len; /* of word */
};

/* The edit distance of a and b, case ignored: insertions, deletions, substitutions and swaps of
 * two neighbouring characters each count one. Strings longer than CC_SUGGEST_MAX count as far
 * from everything (UINT_MAX). */
unsigned cc_edit_distance(const char *a, const char *b);

void cc_suggest_init(struct cc_suggest *s, const char *word);
/* Offers one candidate; the nearest near enough is kept, the first of equals. */
void cc_suggest_add(struct cc_suggest *s, const char *candidate);
/* The suggestion, NULL when no candidate is near enough: within a third of the word's length
 * (at least one edit), so "Skylake-Servr" finds "Skylake-Server" and "foo" finds nothing. */
const char *cc_suggest_best(const struct cc_suggest *s);

/* The same over a NULL-terminated list, or n entries when n is not 0. */
const char *cc_suggest_among(const char *word, const char *const *names, size_t n);

/* " (did you mean 'NAME'?)" for a message, or "" when there is none; in buf. */
const char *cc_suggest_text(const char *best, char *buf, size_t len);

#endif
