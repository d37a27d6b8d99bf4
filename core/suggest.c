#include "suggest.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

unsigned cc_edit_distance(const char *a, const char *b)
{
    /* Three rows of the optimal-string-alignment table. */
    unsigned rows[3][CC_SUGGEST_MAX + 1], *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    size_t la = strlen(a), lb = strlen(b);

    if (la > CC_SUGGEST_MAX || lb > CC_SUGGEST_MAX)
        return UINT_MAX;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            unsigned best = prev[j - 1] + (ca != cb);

            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
        unsigned *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

void cc_suggest_init(struct cc_suggest *s, const char *word)
{
    *s = (struct cc_suggest){.word = word, .distance = UINT_MAX};
}

void cc_suggest_add(struct cc_suggest *s, const char *candidate)
{
    unsigned d;

    if (!candidate || !*candidate)
        return;
    d = cc_edit_distance(s->word, candidate);
    if (d < s->distance) {
        s->distance = d;
        s->best = candidate;
    }
}

const char *cc_suggest_best(const struct cc_suggest *s)
{
    size_t len = strlen(s->word);
    unsigned limit = len >= 6 ? (unsigned)(len / 3) : 1;

    return s->best && s->distance <= limit ? s->best : NULL;
}

const char *cc_suggest_among(const char *word, const char *const *names, size_t n)
{
    struct cc_suggest s;

    cc_suggest_init(&s, word);
    for (size_t i = 0; n ? i < n : names[i] != NULL; i++)
        cc_suggest_add(&s, names[i]);
    return cc_suggest_best(&s);
}

const char *cc_suggest_text(const char *best, char *buf, size_t len)
{
    if (!best || snprintf(buf, len, " (did you mean '%s'?)", best) >= (int)len)
        return "";
    return buf;
}
