#include "suggest.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The distance when it is at most bound, else UINT_MAX. A cell is at least the smaller of the
 * previous row's least and the one before's least plus one, so once two rows in a row exceed the
 * bound every later one does: the walk stops there. The suggestions only want near names, and
 * unknown names (a fuzzer's every input) are offered hundreds of candidates. */
static unsigned distance_within(const char *a, const char *b, unsigned bound)
{
    /* Three rows of the optimal-string-alignment table. */
    unsigned rows[3][CC_SUGGEST_MAX + 1], *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    unsigned char la_[CC_SUGGEST_MAX], lb_[CC_SUGGEST_MAX];
    size_t la = strlen(a), lb = strlen(b);
    unsigned prev_least = 0;

    if (la > CC_SUGGEST_MAX || lb > CC_SUGGEST_MAX)
        return UINT_MAX;
    if ((la > lb ? la - lb : lb - la) > bound)
        return UINT_MAX;
    for (size_t i = 0; i < la; i++)
        la_[i] = (unsigned char)tolower((unsigned char)a[i]);
    for (size_t j = 0; j < lb; j++)
        lb_[j] = (unsigned char)tolower((unsigned char)b[j]);
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned least;

        least = cur[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned char ca = la_[i - 1], cb = lb_[j - 1];
            unsigned best = prev[j - 1] + (ca != cb);

            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == lb_[j - 2] && la_[i - 2] == cb && prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
            if (best < least)
                least = best;
        }
        if (least > bound && prev_least > bound)
            return UINT_MAX;
        prev_least = least;
        unsigned *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb] <= bound ? prev[lb] : UINT_MAX;
}

unsigned cc_edit_distance(const char *a, const char *b)
{
    return distance_within(a, b, UINT_MAX - 1);
}

static unsigned suggest_limit(const char *word)
{
    size_t len = strlen(word);

    return len >= 6 ? (unsigned)(len / 3) : 1;
}

void cc_suggest_init(struct cc_suggest *s, const char *word)
{
    *s = (struct cc_suggest){.word = word, .distance = UINT_MAX, .len = strlen(word)};
}

/* A lower bound on the distance that spares most candidates the table: each edit changes the
 * characters' counts by two at most (a substitution takes one and adds another; a swap changes
 * none), so counts that differ by more than twice the bound put the candidate beyond it. */
static bool counts_beyond(const struct cc_suggest *s, const char *candidate, unsigned bound)
{
    /* All zero between calls (each call zeroes what it touched): no clearing per candidate. */
    static _Thread_local int diff[256];
    unsigned total = 0;

    for (const char *c = s->word; *c; c++)
        diff[tolower((unsigned char)*c)]++;
    for (const char *c = candidate; *c; c++)
        diff[tolower((unsigned char)*c)]--;
    for (const char *c = s->word; *c; c++) {
        int *d = &diff[tolower((unsigned char)*c)];

        total += (unsigned)(*d > 0 ? *d : -*d);
        *d = 0;
    }
    for (const char *c = candidate; *c; c++) {
        int *d = &diff[tolower((unsigned char)*c)];

        total += (unsigned)(*d > 0 ? *d : -*d);
        *d = 0;
    }
    return total > 2 * bound;
}

void cc_suggest_add(struct cc_suggest *s, const char *candidate)
{
    unsigned bound, d;
    size_t lc;

    if (!candidate || !*candidate || s->distance == 0 || s->len > CC_SUGGEST_MAX)
        return;
    /* Only a candidate nearer than the best so far and near enough to be offered matters. */
    bound = suggest_limit(s->word);
    if (s->distance <= bound)
        bound = s->distance - 1;
    lc = strlen(candidate);
    if ((s->len > lc ? s->len - lc : lc - s->len) > bound || counts_beyond(s, candidate, bound))
        return;
    d = distance_within(s->word, candidate, bound);
    if (d != UINT_MAX && d < s->distance) {
        s->distance = d;
        s->best = candidate;
    }
}

const char *cc_suggest_best(const struct cc_suggest *s)
{
    return s->best && s->distance <= suggest_limit(s->word) ? s->best : NULL;
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
