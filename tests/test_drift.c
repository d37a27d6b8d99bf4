/* The helpers every architecture's canonical_diff stands on (core/drift.c): the words of list
 * lines and the other lines of two canonical texts, against a plain quadratic reading of the
 * same texts, on known cases and on random texts with repeated keys and words. */
#include "testlib.h"
#include "../core/drift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool skip_list(const void *arg, const char *key, size_t len)
{
    (void)arg;
    return len == 8 && memcmp(key, "features", 8) == 0;
}

static void test_known(void **state)
{
    const char *old = "arch=x86_64\nfeatures=fpu hle rtm sse\nphys-bits=46\nvendor=GenuineIntel\n";
    const char *new = "arch=x86_64\nfeatures=avx fpu sse\nvendor=AuthenticAMD\nlbr-fmt=5\n";
    static const char *const keys[] = {"features"};
    struct cc_drift d = {0};
    char *v;

    (void)state;
    cc_canon_words(old, new, keys, 1, &d);
    assert_int_equal(d.lost.n, 2);
    assert_string_equal(d.lost.items[0].name, "hle");
    assert_string_equal(d.lost.items[1].name, "rtm");
    assert_null(d.lost.items[0].old);
    assert_int_equal(d.gained.n, 1);
    assert_string_equal(d.gained.items[0].name, "avx");
    cc_canon_other_lines(old, new, skip_list, NULL, &d);
    assert_int_equal(d.changed.n, 3); /* by key: lbr-fmt (new only), phys-bits (old only), vendor */
    assert_string_equal(d.changed.items[0].name, "lbr-fmt");
    assert_null(d.changed.items[0].old);
    assert_string_equal(d.changed.items[0].new, "5");
    assert_string_equal(d.changed.items[1].name, "phys-bits");
    assert_string_equal(d.changed.items[1].old, "46");
    assert_null(d.changed.items[1].new);
    assert_string_equal(d.changed.items[2].name, "vendor");
    assert_string_equal(d.changed.items[2].old, "GenuineIntel");
    assert_string_equal(d.changed.items[2].new, "AuthenticAMD");
    cc_drift_free(&d);
    assert_non_null(v = cc_canon_get(old, "phys-bits"));
    assert_string_equal(v, "46");
    free(v);
    assert_null(cc_canon_get(old, "phys"));
    assert_null(cc_canon_get("", "arch"));
    /* a text against itself: nothing */
    cc_canon_words(old, old, keys, 1, &d);
    cc_canon_other_lines(old, old, NULL, NULL, &d);
    assert_int_equal(d.lost.n + d.gained.n + d.changed.n, 0);
    cc_drift_free(&d);
}

/* A random text: lines of keys k0..k5 (repeated), some "features=" lines of words w0..w9. */
static char *random_text(unsigned *seed)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int lines = rand_r(seed) % 8;

    for (int i = 0; i < lines; i++) {
        if (rand_r(seed) % 3 == 0) {
            fputs("features=", f);
            for (int w = rand_r(seed) % 6; w > 0; w--)
                fprintf(f, "w%d%s", rand_r(seed) % 10, w > 1 ? " " : "");
        } else {
            fprintf(f, "k%d=%d", rand_r(seed) % 6, rand_r(seed) % 3);
        }
        fputc('\n', f);
    }
    fclose(f);
    return buf;
}

/* The reference: the first line of a key, by a scan. */
static const char *first(const char *text, const char *key, char *buf, size_t size)
{
    size_t klen = strlen(key);

    for (const char *p = text; *p;) {
        const char *nl = strchrnul(p, '\n');

        if ((size_t)(nl - p) > klen && !strncmp(p, key, klen) && p[klen] == '=') {
            snprintf(buf, size, "%.*s", (int)(nl - p - klen - 1), p + klen + 1);
            return buf;
        }
        p = *nl ? nl + 1 : nl;
    }
    return NULL;
}

static bool has_word(const char *text, const char *w)
{
    char buf[128], padded[132], pat[16];
    const char *line = first(text, "features", buf, sizeof(buf));

    if (!line)
        return false;
    snprintf(pat, sizeof(pat), " %s ", w);
    snprintf(padded, sizeof(padded), " %s ", line);
    return strstr(padded, pat) != NULL;
}

static bool listed(const struct cc_changes *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].name, name))
            return true;
    return false;
}

static void test_random(void **state)
{
    static const char *const keys[] = {"features"};
    unsigned seed = 20261205;

    (void)state;
    for (int round = 0; round < 2000; round++) {
        char *a = random_text(&seed), *b = random_text(&seed), wb[16], ka[64], kb[64], key[16];
        struct cc_drift d = {0};
        size_t n_changed = 0;

        cc_canon_words(a, b, keys, 1, &d);
        cc_canon_other_lines(a, b, skip_list, NULL, &d);
        for (int w = 0; w < 10; w++) {
            snprintf(wb, sizeof(wb), "w%d", w);
            assert_int_equal(listed(&d.lost, wb), has_word(a, wb) && !has_word(b, wb));
            assert_int_equal(listed(&d.gained, wb), !has_word(a, wb) && has_word(b, wb));
        }
        for (int k = 0; k < 6; k++) {
            const char *x, *y;
            bool differ;

            snprintf(key, sizeof(key), "k%d", k);
            x = first(a, key, ka, sizeof(ka));
            y = first(b, key, kb, sizeof(kb));
            differ = (!x != !y) || (x && strcmp(x, y) != 0);
            assert_int_equal(listed(&d.changed, key), differ);
            n_changed += differ;
        }
        assert_int_equal(d.changed.n, n_changed);
        cc_drift_free(&d);
        free(a);
        free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known),
        cmocka_unit_test(test_random),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
