/* Reading capability files is hostile-input safe; writing is atomic and byte-stable. */
#include "testlib.h"
#include "../arch/x86/x86.h"
#include "../core/atomic_file.h"
#include "../core/capdoc_io.h"
#include "../core/error.h"

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define HOST "tests/data/x86/hosts/epyc-milan-nested-kvm.xml"

static struct cc_ctx ctx;

static const char *write_tmp(const char *name, const char *content, size_t len)
{
    static char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, len, f), len);
    fclose(f);
    return path;
}

/* The read fails, with one line that names the file and contains the expected words. */
static void expect_read_error(const char *path, const char *words)
{
    struct cc_doc *doc = NULL;
    int r = cc_doc_read(&ctx, path, &doc);
    const char *msg = cc_error_message();

    if (r >= 0)
        fail_msg("%s: read succeeded, expected an error with '%s'", path, words);
    assert_null(doc);
    if (strncmp(msg, path, strlen(path)) != 0)
        fail_msg("message does not start with the file name: %s", msg);
    if (!strstr(msg, words))
        fail_msg("message lacks '%s': %s", words, msg);
    assert_null(strchr(msg, '\n'));
}

static char *host_text(size_t *len)
{
    return test_slurp(test_path(HOST), len);
}

static void test_malformed(void **state)
{
    const char *bad =
        "<capabilities format='1' arch='x86_64'><tool name='cpucompat' </capabilities>";

    (void)state;
    expect_read_error(write_tmp("malformed.xml", bad, strlen(bad)), "not well-formed XML (line 1");
    expect_read_error(write_tmp("garbage.xml",
                                "\x7f"
                                "ELF\x02\x01\x01",
                                7),
                      "not well-formed");
}

static void test_doctype_entities(void **state)
{
    const char *laughs =
        "<?xml version='1.0'?>\n<!DOCTYPE lolz [<!ENTITY lol 'lol'>"
        "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
        "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>]>\n"
        "<capabilities format='1' arch='x86_64'>&lol3;</capabilities>\n";
    const char *hidden = "<!-- innocent --><?pi x?>\n  <!doctype capabilities SYSTEM "
                         "'file:///etc/passwd'><capabilities/>";
    const char *external = "<?xml version='1.0'?><!DOCTYPE c [<!ENTITY x SYSTEM "
                           "'file:///etc/shadow'>]><capabilities>&x;</capabilities>";

    (void)state;
    expect_read_error(write_tmp("laughs.xml", laughs, strlen(laughs)),
                      "DOCTYPE declarations are not accepted");
    expect_read_error(write_tmp("hidden.xml", hidden, strlen(hidden)),
                      "DOCTYPE declarations are not accepted");
    expect_read_error(write_tmp("external.xml", external, strlen(external)),
                      "DOCTYPE declarations are not accepted");
}

static char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    char *out;

    assert_non_null(at);
    out = malloc(strlen(text) + strlen(to) + 1);
    memcpy(out, text, (size_t)(at - text));
    strcpy(out + (at - text), to);
    strcat(out, at + strlen(from));
    return out;
}

static void test_wrong_architecture(void **state)
{
    char *text = host_text(NULL), *bad;

    (void)state;
    bad = replace(text, "arch=\"x86_64\"", "arch=\"sparc64\"");
    expect_read_error(write_tmp("sparc.xml", bad, strlen(bad)),
                      "architecture 'sparc64' is not supported");
    free(bad);
    free(text);
}

static void test_unknown_format_version(void **state)
{
    char *text = host_text(NULL), *bad;

    (void)state;
    bad = replace(text, "format=\"1\"", "format=\"2\"");
    expect_read_error(write_tmp("v2.xml", bad, strlen(bad)),
                      "format version '2' is not supported (this cpucompat reads 1)");
    free(bad);
    bad = replace(text, "format=\"1\" ", "");
    expect_read_error(write_tmp("v0.xml", bad, strlen(bad)), "no format version");
    free(bad);
    free(text);
}

static void test_truncated_and_empty(void **state)
{
    size_t len;
    char *text = host_text(&len);

    (void)state;
    expect_read_error(write_tmp("truncated.xml", text, len / 2), "not well-formed XML");
    expect_read_error(write_tmp("empty.xml", "", 0), "file is empty");
    expect_read_error(test_tmpdir(), "is a directory");
    expect_read_error("/nonexistent/cpucompat/host.xml", "cannot open: No such file");
    free(text);
}

static void test_schema_violations(void **state)
{
    char *text = host_text(NULL), *bad;

    (void)state;
    /* A register value that is not eight hex digits. */
    bad = replace(text, "0x00000000 0x00000000 0x00000010", "0x00000000 0x00000000 0x10");
    expect_read_error(write_tmp("shortreg.xml", bad, strlen(bad)),
                      "malformed <cpuid> row (want 6 hex numbers)");
    free(bad);
    /* Upper-case digits, a missing column, trailing junk. */
    bad = replace(text, "0x00a00f11", "0x00A00F11");
    expect_read_error(write_tmp("upper.xml", bad, strlen(bad)), "malformed <cpuid> row");
    free(bad);
    bad = replace(text, "0x00000000 0x00000000 0x00000010 0x68747541 0x444d4163 0x69746e65",
                  "0x00000000 0x00000000 0x00000010 0x68747541 0x444d4163");
    expect_read_error(write_tmp("short.xml", bad, strlen(bad)), "malformed <cpuid> row");
    free(bad);
    bad = replace(text, "0x444d4163 0x69746e65", "0x444d4163 0x69746e65 junk");
    expect_read_error(write_tmp("junk.xml", bad, strlen(bad)), "trailing text in <cpuid> row");
    free(bad);
    /* A comment among the rows would hide the rows after it: refused. */
    bad =
        replace(text, "        0x00000002 0x00000000", "<!-- x -->\n        0x00000002 0x00000000");
    expect_read_error(write_tmp("comment.xml", bad, strlen(bad)),
                      "<cpuid> may hold rows of text only");
    free(bad);
    /* The columns attribute is part of the format. */
    bad = replace(text, "columns=\"leaf subleaf eax ebx ecx edx\"", "columns=\"a b c d e f\"");
    expect_read_error(write_tmp("columns.xml", bad, strlen(bad)),
                      "does not match the capability file schema (line");
    free(bad);
    /* An element the format does not have. */
    bad = replace(text, "<identity>", "<identity><owner>me</owner>");
    expect_read_error(write_tmp("extra.xml", bad, strlen(bad)), "does not match");
    free(bad);
    /* A view name the format does not know. */
    bad = replace(text, "<view name=\"kvm\"", "<view name=\"hvf\"");
    expect_read_error(write_tmp("viewname.xml", bad, strlen(bad)), "does not match");
    free(bad);
    /* Another program's XML. */
    bad = "<cpudata arch='x86'><cpuid eax_in='0' ecx_in='0' eax='0' ebx='0' ecx='0' edx='0'/>"
          "</cpudata>";
    expect_read_error(write_tmp("cpudata.xml", bad, strlen(bad)),
                      "not a cpucompat capability file (root element <cpudata>)");
    free(text);
}

static void test_duplicate_leaf(void **state)
{
    char *text = host_text(NULL), *bad;
    const char *leaf0 = "0x00000000 0x00000000 0x00000010 0x68747541 0x444d4163 0x69746e65";
    const char *leaf1 = "0x00000001 0x00000000 0x00a00f11 0x00020800 0xfffa3203 0x178bfbff";
    char twice[512];

    (void)state;
    snprintf(twice, sizeof(twice), "%s\n%s", leaf0, leaf0);
    bad = replace(text, leaf0, twice);
    expect_read_error(write_tmp("dup.xml", bad, strlen(bad)),
                      "<cpuid> rows repeated or out of order (0x0 0x0)");
    free(bad);
    /* Leaf 1 before leaf 0. */
    snprintf(twice, sizeof(twice), "%s\n%s", leaf1, leaf0);
    bad = replace(text, leaf0, twice);
    expect_read_error(write_tmp("order.xml", bad, strlen(bad)), "rows repeated or out of order");
    free(bad);
    free(text);
}

static void test_oversized(void **state)
{
    char path[512];
    int fd;

    (void)state;
    snprintf(path, sizeof(path), "%s/huge.xml", test_tmpdir());
    fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 17 * 1024 * 1024), 0); /* sparse: no disk used */
    close(fd);
    expect_read_error(path, "larger than the 16777216-byte limit");
}

/* Root reads any file, so the unreadable case runs in a child that gave up root. */
static void test_unreadable(void **state)
{
    const char *path = write_tmp("secret.xml", "<x/>", 4);
    pid_t pid;
    int status;

    (void)state;
    assert_int_equal(chmod(path, 0000), 0);
    assert_int_equal(chmod(test_tmpdir(), 0755), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct cc_doc *doc = NULL;

        if (geteuid() == 0) {
            struct passwd *nobody = getpwnam("nobody");
            if (!nobody || setgid(nobody->pw_gid) < 0 || setuid(nobody->pw_uid) < 0)
                _exit(3);
        }
        if (cc_doc_read(&ctx, path, &doc) >= 0)
            _exit(4);
        _exit(strstr(cc_error_message(), "cannot open: Permission denied") ? 0 : 5);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* dump -> read -> write gives the same bytes. */
static void test_round_trip_recorded(void **state)
{
    size_t len, out_len;
    char *text = host_text(&len), *out;
    struct cc_doc *doc = NULL;

    (void)state;
    assert_int_equal(cc_doc_read(&ctx, test_path(HOST), &doc), 0);
    assert_int_equal(cc_doc_to_xml(&ctx, doc, &out, &out_len), 0);
    assert_int_equal(out_len, len);
    assert_memory_equal(out, text, len);
    free(out);
    free(text);
    cc_doc_free(doc);
}

/* The live probe of this machine, written and read back: only where it is an x86-64 host (a
 * foreign build under user-mode emulation is not). The skip comes before any allocation, so a
 * skipped test leaves nothing behind. */
static void test_round_trip_live(void **state)
{
    struct cc_probe_opts opts = {0};
    struct cc_doc *doc, *back = NULL;
    char path[512], *a, *b;
    size_t la, lb;

    (void)state;
    if (!x86_arch_ops.probe || cc_arch_host() != &x86_arch_ops)
        TEST_SKIP("needs an x86-64 host; this build runs as %s",
                  cc_arch_host() ? cc_arch_host()->name : "an unknown architecture");
    doc = cc_doc_new(&x86_arch_ops);
    assert_non_null(doc);
    if (x86_arch_ops.probe(&ctx, &opts, doc) < 0)
        fail_msg("%s", cc_error_message());
    snprintf(path, sizeof(path), "%s/live.xml", test_tmpdir());
    assert_int_equal(cc_doc_write(&ctx, doc, path), 0);
    assert_int_equal(cc_doc_read(&ctx, path, &back), 0);
    assert_int_equal(cc_doc_to_xml(&ctx, doc, &a, &la), 0);
    assert_int_equal(cc_doc_to_xml(&ctx, back, &b, &lb), 0);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
    cc_doc_free(back);
    cc_doc_free(doc);
}

/* An architecture's tables are found through its ops' data_subdir, not a folder spelled by its
 * loader: a table moved with data_subdir is still found, and no subdir is an error. */
static void test_arch_data_subdir(void **state)
{
    const struct cc_arch_ops moved = {.name = "x86_64", .data_subdir = "x86-moved"};
    const struct cc_arch_ops none = {.name = "nowhere"};
    char *path = NULL, *want = NULL;

    (void)state;
    assert_int_equal(cc_ctx_arch_path(&ctx, &moved, "features.xml", &path), 0);
    assert_true(asprintf(&want, "%s/x86-moved/features.xml", ctx.datadir) > 0);
    assert_string_equal(path, want);
    free(path);
    free(want);
    assert_int_equal(cc_ctx_arch_path(&ctx, &x86_arch_ops, "cpuid-fields.xml", &path), 0);
    assert_non_null(strstr(path, "/x86/cpuid-fields.xml"));
    free(path);
    assert_true(cc_ctx_arch_path(&ctx, &none, "features.xml", &path) < 0);
    assert_non_null(strstr(cc_error_message(), "nowhere: no data folder"));
    cc_error_clear();
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    assert_non_null(d);
    while ((e = readdir(d)))
        n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
    closedir(d);
    return n;
}

static void test_atomic_write(void **state)
{
    char dir[512], path[600];
    char *back;

    (void)state;
    snprintf(dir, sizeof(dir), "%s/atomic", test_tmpdir());
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof(path), "%s/out.xml", dir);
    assert_int_equal(cc_write_file_atomic(path, "old\n", 4), 0);
    assert_int_equal(cc_write_file_atomic(path, "new content\n", 12), 0);
    back = test_slurp(path, NULL);
    assert_string_equal(back, "new content\n");
    free(back);
    assert_int_equal(count_entries(dir), 1); /* no temporary left behind */

    /* A directory that does not exist: an error naming the file, nothing created. */
    snprintf(path, sizeof(path), "%s/missing/out.xml", dir);
    assert_true(cc_write_file_atomic(path, "x", 1) < 0);
    assert_non_null(strstr(cc_error_message(), path));
    assert_int_equal(count_entries(dir), 1);

    /* The target is a directory: rename fails, the temporary is removed. */
    snprintf(path, sizeof(path), "%s/sub", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_true(cc_write_file_atomic(path, "x", 1) < 0);
    assert_int_equal(count_entries(dir), 2);

    /* A device stays a device: written to, never replaced (-o /dev/null, -o /dev/stdout). */
    assert_int_equal(cc_write_file_atomic("/dev/null", "x", 1), 0);
    {
        struct stat st;
        assert_int_equal(stat("/dev/null", &st), 0);
        assert_true(S_ISCHR(st.st_mode));
    }

    /* A symbolic link is written through; the link stays, and the mode of the file is kept. */
    snprintf(path, sizeof(path), "%s/target.xml", dir);
    assert_int_equal(cc_write_file_atomic(path, "one", 3), 0);
    assert_int_equal(chmod(path, 0640), 0);
    {
        char link[700];
        struct stat st;

        snprintf(link, sizeof(link), "%s/link.xml", dir);
        assert_int_equal(symlink("target.xml", link), 0);
        assert_int_equal(cc_write_file_atomic(link, "two", 3), 0);
        assert_int_equal(lstat(link, &st), 0);
        assert_true(S_ISLNK(st.st_mode));
        back = test_slurp(path, NULL);
        assert_string_equal(back, "two");
        free(back);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0640);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed),           cmocka_unit_test(test_doctype_entities),
        cmocka_unit_test(test_wrong_architecture),  cmocka_unit_test(test_unknown_format_version),
        cmocka_unit_test(test_truncated_and_empty), cmocka_unit_test(test_schema_violations),
        cmocka_unit_test(test_duplicate_leaf),      cmocka_unit_test(test_oversized),
        cmocka_unit_test(test_unreadable),          cmocka_unit_test(test_round_trip_recorded),
        cmocka_unit_test(test_round_trip_live),     cmocka_unit_test(test_atomic_write),
        cmocka_unit_test(test_arch_data_subdir),
    };
    int failed;

    test_ctx(&ctx);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    cc_ctx_fini(&ctx);
    return failed;
}
