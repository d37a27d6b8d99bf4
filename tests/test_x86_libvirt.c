/* Decodes every x86 CPU captured in libvirt 9.0's tests/cputestdata and checks identity and
 * features against what libvirt's own files say (tests/data/x86/libvirt/expected.tsv). Each
 * import is also written, validated against the schema, read back and written again. */
#include "testlib.h"
#include "../arch/x86/x86.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row {
    char *fields[8]; /* name vendor family model stepping brand present absent */
    char *line;
};

static struct cc_ctx ctx;

static void check_features(struct cc_doc *doc, const char *list, bool want, const char *cpu)
{
    struct cc_strlist names = {0};
    char *copy = strdup(list), *save = NULL;

    assert_int_equal(x86_view_features(&ctx, cc_doc_view(doc, "cpu"), &names), 0);
    for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save))
        if (cc_strlist_contains(&names, f) != want)
            fail_msg("%s: feature %s should be %s", cpu, f, want ? "present" : "absent");
    free(copy);
    cc_strlist_free(&names);
}

static void check_identity(struct cc_doc *doc, const char *key, const char *want, const char *cpu)
{
    const char *got = cc_kv_get(&doc->identity, key);

    if (strcmp(want, "-") == 0)
        return;
    if (strcmp(want, "<empty>") == 0)
        want = NULL;
    if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0))
        fail_msg("%s: %s is '%s', libvirt says '%s'", cpu, key, got ? got : "(none)",
                 want ? want : "(none)");
}

static void test_cpu(void **state)
{
    struct row *row = *state;
    char path[512], out[512];
    struct cc_doc *doc = cc_doc_new(&x86_arch_ops), *back = NULL;
    char *first, *second;
    size_t n1, n2;

    snprintf(path, sizeof(path), "%s", test_path("tests/data/x86/libvirt/x86_64-cpuid-"));
    strncat(path, row->fields[0], sizeof(path) - strlen(path) - 5);
    strcat(path, ".xml");
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    if (x86_import_libvirt(&ctx, path, doc) < 0)
        fail_msg("%s", cc_error_message());

    check_identity(doc, "vendor", row->fields[1], row->fields[0]);
    check_identity(doc, "family", row->fields[2], row->fields[0]);
    check_identity(doc, "model", row->fields[3], row->fields[0]);
    check_identity(doc, "stepping", row->fields[4], row->fields[0]);
    check_identity(doc, "brand", row->fields[5], row->fields[0]);
    check_features(doc, row->fields[6], true, row->fields[0]);
    check_features(doc, row->fields[7], false, row->fields[0]);

    /* Written file: valid against the schema (cc_doc_read validates), and stable. */
    snprintf(out, sizeof(out), "%s/%s.xml", test_tmpdir(), row->fields[0]);
    assert_int_equal(cc_doc_to_xml(&ctx, doc, &first, &n1), 0);
    assert_int_equal(cc_doc_write(&ctx, doc, out), 0);
    if (cc_doc_read(&ctx, out, &back) < 0)
        fail_msg("%s", cc_error_message());
    assert_int_equal(cc_doc_to_xml(&ctx, back, &second, &n2), 0);
    assert_int_equal(n1, n2);
    assert_memory_equal(first, second, n1);
    assert_string_equal(cc_kv_get(&back->origin, "import-format"), "libvirt-cpudata");
    free(first);
    free(second);
    cc_doc_free(back);
    cc_doc_free(doc);
}

static size_t load_rows(struct row **rows)
{
    char *text = test_slurp(test_path("tests/data/x86/libvirt/expected.tsv"), NULL);
    char *save = NULL;
    size_t n = 0;
    bool header = true;

    *rows = calloc(256, sizeof(**rows));
    for (char *line = strtok_r(text, "\n", &save); line && n < 256;
         line = strtok_r(NULL, "\n", &save)) {
        char *copy;
        int f = 0;

        if (line[0] == '#')
            continue;
        if (header) {
            header = false;
            continue;
        }
        copy = strdup(line);
        (*rows)[n].line = copy;
        /* strsep keeps empty fields; expected.tsv never has any, but be exact. */
        for (char *p = copy; p && f < 8; f++)
            (*rows)[n].fields[f] = strsep(&p, "\t");
        if (f != 8)
            fail_msg("expected.tsv: malformed row '%s'", line);
        n++;
    }
    free(text);
    return n;
}

int main(void)
{
    struct row *rows;
    struct CMUnitTest *tests;
    size_t n;
    int failed;

    test_ctx(&ctx);
    n = load_rows(&rows);
    /* At least every CPU libvirt 9.0 ships (61); a shrunken table is a broken test. */
    if (n < 61) {
        fprintf(stderr, "expected.tsv has %zu rows, want 61\n", n);
        return 1;
    }
    tests = calloc(n, sizeof(*tests));
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){
            .name = rows[i].fields[0], .test_func = test_cpu, .initial_state = &rows[i]};
    failed = _cmocka_run_group_tests("x86_libvirt_cputestdata", tests, n, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(rows[i].line);
    free(rows);
    free(tests);
    cc_ctx_fini(&ctx);
    return failed;
}
