/* The strict JSON reader: what it accepts, what it refuses (and that the refusal names the file
 * and says why), its bounds on nesting, size and node count, and UTF-8. */
#include "testlib.h"
#include "../core/error.h"
#include "../core/json_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(const char *text, struct cc_jdocs *d)
{
    cc_error_clear();
    return cc_json_read("t.json", text, strlen(text), d);
}

static void refuses(const char *text, const char *why)
{
    struct cc_jdocs d = {0};

    if (parse(text, &d) == 0)
        fail_msg("accepted '%.40s'", text);
    if (strncmp(cc_error_message(), "t.json: ", 8) != 0 || !strstr(cc_error_message(), why))
        fail_msg("'%.40s': message '%s' lacks '%s'", text, cc_error_message(), why);
    assert_null(d.docs);
}

static void test_values(void **state)
{
    struct cc_jdocs d = {0};
    const struct cc_jval *v;
    int64_t x;

    (void)state;
    assert_int_equal(
        parse(" {\"a\": [true, false, null, -12, 3.5e2, \"x\\u00e9\\ud83d\\ude00\\n\"],"
              " \"b\": {}, \"c\": []}\n",
              &d),
        0);
    assert_int_equal(d.n, 1);
    v = cc_jval_get(&d.docs[0], "a");
    assert_non_null(v);
    assert_int_equal(v->type, CC_JARRAY);
    assert_int_equal(v->n, 6);
    assert_true(v->items[0].type == CC_JBOOL && v->items[0].b);
    assert_true(v->items[1].type == CC_JBOOL && !v->items[1].b);
    assert_int_equal(v->items[2].type, CC_JNULL);
    assert_int_equal(cc_jval_int(&v->items[3], -100, 100, &x), 0);
    assert_int_equal(x, -12);
    assert_int_equal(cc_jval_int(&v->items[3], 0, 100, &x), -EINVAL);
    assert_int_equal(cc_jval_int(&v->items[4], 0, 1000, &x), -EINVAL); /* not integral */
    assert_string_equal(v->items[5].str, "x\xc3\xa9\xf0\x9f\x98\x80\n");
    assert_int_equal(cc_jval_get(&d.docs[0], "b")->type, CC_JOBJECT);
    assert_null(cc_jval_get(&d.docs[0], "z"));
    cc_jdocs_free(&d);
}

static void test_several_documents(void **state)
{
    struct cc_jdocs d = {0};
    int64_t x;

    (void)state;
    assert_int_equal(parse("{\"return\": 1}\n\n{\"return\": [2]}{\"id\":\"x\"}", &d), 0);
    assert_int_equal(d.n, 3);
    assert_int_equal(cc_jval_int(cc_jval_get(&d.docs[0], "return"), 0, 9, &x), 0);
    assert_int_equal(x, 1);
    assert_string_equal(cc_jval_get(&d.docs[2], "id")->str, "x");
    cc_jdocs_free(&d);
}

static void test_refused(void **state)
{
    (void)state;
    refuses("", "no JSON document");
    refuses("  \n", "no JSON document");
    refuses("{\"a\": [1, 2", "truncated JSON");
    refuses("{\"a\": \"abc", "truncated JSON");
    refuses("{\"a\": 1,}", "line 1: bad JSON: expected a member name");
    refuses("[1,]", "unexpected ']'");
    refuses("{\"a\" 1}", "expected ':'");
    refuses("[01]", "expected ',' or ']'");
    refuses("[1.]", "bad number");
    refuses("[1e]", "bad number");
    refuses("[-]", "bad number");
    refuses("[NaN]", "unexpected 'N'");
    refuses("[tru]", "unexpected 't'");
    refuses("// c\n{}", "a document must be an object or an array");
    refuses("\"top\"", "a document must be an object or an array");
    refuses("[\"a\tb\"]", "control character");
    refuses("[\"\\x\"]", "bad escape");
    refuses("[\"\\u12g4\"]", "bad \\u escape");
    refuses("[\"\\ud800\"]", "lone surrogate");
    refuses("[\"\\udc00\"]", "lone surrogate");
    refuses("[\"\\u0000\"]", "NUL in a string");
    refuses("[\"\xc3\"]", "invalid UTF-8");
    refuses("[\"\xc0\xaf\"]", "invalid UTF-8");         /* overlong '/' */
    refuses("[\"\xed\xa0\x80\"]", "invalid UTF-8");     /* encoded surrogate */
    refuses("[\"\xf4\x90\x80\x80\"]", "invalid UTF-8"); /* above U+10FFFF */
    refuses("[\xff]", "unexpected byte 0xff");
    refuses("{}\n{\n\"a\": x}", "line 3: bad JSON");
}

static void test_bounds(void **state)
{
    size_t n = 15u * 1024 * 1024;
    char *deep = malloc(CC_JSON_READ_MAX_BYTES + 2);
    struct cc_jdocs d = {0};

    (void)state;
    /* Nesting at the size cap fails at the depth limit, without recursing further. */
    memset(deep, '[', n);
    deep[n] = '\0';
    assert_int_equal(cc_json_read("deep.json", deep, n, &d), -EINVAL);
    assert_non_null(strstr(cc_error_message(), "nested deeper than 64 levels"));
    /* Exactly at the limit is fine. */
    memset(deep, '[', 64);
    memset(deep + 64, ']', 64);
    deep[128] = '\0';
    assert_int_equal(cc_json_read("ok.json", deep, 128, &d), 0);
    cc_jdocs_free(&d);
    memset(deep, '[', 65);
    memset(deep + 65, ']', 65);
    deep[130] = '\0';
    assert_int_equal(cc_json_read("deep.json", deep, 130, &d), -EINVAL);
    /* Above the size cap: refused before parsing. */
    memset(deep, ' ', CC_JSON_READ_MAX_BYTES + 1);
    deep[CC_JSON_READ_MAX_BYTES + 1] = '\0';
    assert_int_equal(cc_json_read("big.json", deep, CC_JSON_READ_MAX_BYTES + 1, &d), -EFBIG);
    assert_non_null(strstr(cc_error_message(), "big.json: larger than"));
    /* Many tiny values: the node count is bounded, not just the bytes. */
    deep[0] = '[';
    n = 1;
    for (unsigned i = 0; i < CC_JSON_READ_MAX_VALUES + 1; i++) {
        deep[n++] = '0';
        deep[n++] = ',';
    }
    deep[n++] = '0';
    deep[n++] = ']';
    deep[n] = '\0';
    assert_int_equal(cc_json_read("many.json", deep, n, &d), -EINVAL);
    assert_non_null(strstr(cc_error_message(), "more than 262144 values"));
    free(deep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_several_documents),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_bounds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
