/* The "did you mean" helper: its edit distance against a plain recursive definition of the same
 * distance (optimal string alignment), on known pairs and on random strings, its bound on
 * length, and when a suggestion is made: the pruned search gives what the full distance gives. */
#include "testlib.h"
#include "../core/suggest.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The definition, straight: the cheapest of deleting, inserting, substituting or (when the two
 * last characters are swapped) transposing, on prefixes. Exponential: short strings only. */
static unsigned reference(const char *a, size_t la, const char *b, size_t lb)
{
    unsigned best;

    if (la == 0)
        return (unsigned)lb;
    if (lb == 0)
        return (unsigned)la;
    best = reference(a, la - 1, b, lb) + 1;
    if (reference(a, la, b, lb - 1) + 1 < best)
        best = reference(a, la, b, lb - 1) + 1;
    if (reference(a, la - 1, b, lb - 1) + (tolower(a[la - 1]) != tolower(b[lb - 1])) < best)
        best = reference(a, la - 1, b, lb - 1) + (tolower(a[la - 1]) != tolower(b[lb - 1]));
    if (la > 1 && lb > 1 && tolower(a[la - 1]) == tolower(b[lb - 2]) &&
        tolower(a[la - 2]) == tolower(b[lb - 1]) && reference(a, la - 2, b, lb - 2) + 1 < best)
        best = reference(a, la - 2, b, lb - 2) + 1;
    return best;
}

static void test_known(void **state)
{
    (void)state;
    assert_int_equal(cc_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(cc_edit_distance("", "abc"), 3);
    assert_int_equal(cc_edit_distance("compare", "compare"), 0);
    assert_int_equal(cc_edit_distance("Skylake", "skylake"), 0);
    assert_int_equal(cc_edit_distance("ab", "ba"), 1);  /* a swap is one edit */
    assert_int_equal(cc_edit_distance("ca", "abc"), 3); /* OSA: no edit of a swapped pair */
    assert_int_equal(cc_edit_distance("jsno", "json"), 1);
}

static void test_random(void **state)
{
    char a[8], b[8];

    (void)state;
    srand(9);
    for (int n = 0; n < 3000; n++) {
        size_t la = (size_t)rand() % 7, lb = (size_t)rand() % 7;

        /* A small alphabet, so that swaps and repeats are common. */
        for (size_t i = 0; i < la; i++)
            a[i] = "abcA"[rand() % 4];
        for (size_t i = 0; i < lb; i++)
            b[i] = "abcA"[rand() % 4];
        a[la] = b[lb] = '\0';
        if (cc_edit_distance(a, b) != reference(a, la, b, lb))
            fail_msg("'%s' '%s': %u, the definition says %u", a, b, cc_edit_distance(a, b),
                     reference(a, la, b, lb));
    }
}

static void test_bounds(void **state)
{
    char longer[CC_SUGGEST_MAX + 2];

    (void)state;
    memset(longer, 'a', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    assert_int_equal(cc_edit_distance(longer, "a"), UINT_MAX);
    longer[CC_SUGGEST_MAX] = '\0'; /* at the bound it is still measured */
    assert_int_equal(cc_edit_distance(longer, "a"), CC_SUGGEST_MAX - 1);
}

static void test_suggestions(void **state)
{
    static const char *const commands[] = {"dump",     "import", "show",   "models", "compare",
                                           "baseline", "expand", "verify", NULL};
    static const char *const models[] = {"Skylake-Client", "Skylake-Server", "Skylake-Server-v4",
                                         "z14.2",          "cortex-a35",     NULL};
    char buf[96];

    (void)state;
    assert_string_equal(cc_suggest_among("compar", commands, 0), "compare");
    assert_string_equal(cc_suggest_among("mdoels", commands, 0), "models");
    assert_string_equal(cc_suggest_among("shwo", commands, 0), "show");
    assert_null(cc_suggest_among("blah", commands, 0));
    assert_null(cc_suggest_among("", commands, 0));
    assert_string_equal(cc_suggest_among("Skylake-Servr", models, 0), "Skylake-Server");
    assert_string_equal(cc_suggest_among("skylake-server-v4", models, 0), "Skylake-Server-v4");
    assert_null(cc_suggest_among("Skylake", models, 0)); /* a family, not a slip */
    assert_string_equal(cc_suggest_among("z14.2", models + 3, 1), "z14.2");
    assert_string_equal(cc_suggest_text("json", buf, sizeof(buf)), " (did you mean 'json'?)");
    assert_string_equal(cc_suggest_text(NULL, buf, sizeof(buf)), "");
}

/* The suggestion as the definition has it: the first candidate of least full distance, offered
 * when within a third of the word's length (at least one edit). */
static const char *suggest_by_definition(const char *word, const char *const *names, size_t n)
{
    size_t len = strlen(word);
    unsigned limit = len >= 6 ? (unsigned)(len / 3) : 1, best_d = UINT_MAX;
    const char *best = NULL;

    for (size_t i = 0; i < n; i++) {
        unsigned d = cc_edit_distance(word, names[i]);

        if (*names[i] && d < best_d)
            best_d = d, best = names[i];
    }
    return best && best_d <= limit ? best : NULL;
}

/* Random words of 1 to 24 characters over a small alphabet, for the random suggestions. */
static void random_word(char *w, size_t max)
{
    size_t l = 1 + (size_t)rand() % max;

    for (size_t k = 0; k < l; k++)
        w[k] = "abcd-1"[rand() % 6];
    w[l] = '\0';
}

/* Up to edits random substitutions, deletions and insertions in w (room for 32 characters). */
static void random_edits(char *w, int edits)
{
    for (; edits > 0; edits--) {
        size_t l = strlen(w), at = l ? (size_t)rand() % l : 0;

        switch (rand() % 3) {
        case 0:
            if (l)
                w[at] = "abcdx"[rand() % 5];
            break;
        case 1:
            if (l)
                memmove(w + at, w + at + 1, l - at);
            break;
        default:
            if (l < 31) {
                memmove(w + at + 1, w + at, l - at + 1);
                w[at] = "abcdx"[rand() % 5];
            }
        }
    }
}

static void test_suggestions_random(void **state)
{
    char pool[40][32], base[32], word[32];
    const char *names[40];

    (void)state;
    srand(11);
    for (int round = 0; round < 3000; round++) {
        size_t n = 1 + (size_t)rand() % 40;

        /* Candidates at several distances from one base name, in random order, and strangers. */
        random_word(base, 24);
        for (size_t i = 0; i < n; i++) {
            if (rand() % 4 == 0) {
                random_word(pool[i], 24);
            } else {
                strcpy(pool[i], base);
                random_edits(pool[i], rand() % 6);
            }
            names[i] = pool[i];
        }
        strcpy(word, base);
        random_edits(word, rand() % 4);
        const char *got = cc_suggest_among(word, names, n),
                   *want = suggest_by_definition(word, names, n);
        if (got != want)
            fail_msg("'%s' among %zu: '%s', the definition says '%s'", word, n,
                     got ? got : "(none)", want ? want : "(none)");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_suggestions),
        cmocka_unit_test(test_suggestions_random),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
