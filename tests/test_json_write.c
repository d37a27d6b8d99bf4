/* The JSON writer behind every report: each byte a string may hold comes out as JSON spells it
 * (the quote, the backslash, control characters and DEL escaped; other bytes, UTF-8 included, as
 * they are) and reads back through the strict reader as the same string; numbers at their
 * bounds. The writer looks plain bytes up in a table: a byte on the wrong side of it fails here. */
#include "testlib.h"
#include "../core/json.h"
#include "../core/json_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The array [s] as the writer gives it. */
static char *written(const char *s, unsigned long long n, bool number)
{
    struct cc_json j;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    cc_json_init(&j, f);
    cc_json_begin_array(&j);
    if (number)
        cc_json_uint(&j, n);
    else
        cc_json_string(&j, s);
    cc_json_end_array(&j);
    cc_json_finish(&j);
    fclose(f);
    return buf;
}

static void test_every_byte(void **state)
{
    (void)state;
    for (int c = 1; c < 128; c++) {
        char s[4] = {'a', (char)c, 'b', '\0'}, want[16];
        char *out = written(s, 0, false);
        struct cc_jdocs d = {0};

        if (c == '"' || c == '\\')
            snprintf(want, sizeof(want), "[\"a\\%cb\"]\n", c);
        else if (c == '\n')
            snprintf(want, sizeof(want), "[\"a\\nb\"]\n");
        else if (c < 0x20 || c == 0x7f)
            snprintf(want, sizeof(want), "[\"a\\u%04xb\"]\n", c);
        else
            snprintf(want, sizeof(want), "[\"a%cb\"]\n", c);
        if (strcmp(out, want) != 0)
            fail_msg("byte 0x%02x: wrote %s, JSON spells it %s", c, out, want);
        assert_int_equal(cc_json_read("t.json", out, strlen(out), &d), 0);
        assert_int_equal(d.docs[0].type, CC_JARRAY);
        assert_string_equal(d.docs[0].items[0].str, s);
        cc_jdocs_free(&d);
        free(out);
    }
}

static void test_utf8_as_is(void **state)
{
    static const char s[] = "h\xc3\xa9t\xe2\x82\xac \xf0\x9f\x98\x80"; /* é, €, an emoji */
    char *out = written(s, 0, false);
    struct cc_jdocs d = {0};

    (void)state;
    assert_int_equal(strlen(out), strlen(s) + 5);
    assert_int_equal(cc_json_read("t.json", out, strlen(out), &d), 0);
    assert_string_equal(d.docs[0].items[0].str, s);
    cc_jdocs_free(&d);
    free(out);
}

static void test_numbers(void **state)
{
    static const unsigned long long v[] = {0, 1, 9, 10, 4294967295ULL, 18446744073709551615ULL};
    static const char *want[] = {"[0]\n",  "[1]\n",          "[9]\n",
                                 "[10]\n", "[4294967295]\n", "[18446744073709551615]\n"};

    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        char *out = written(NULL, v[i], true);

        assert_string_equal(out, want[i]);
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_utf8_as_is),
        cmocka_unit_test(test_numbers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
