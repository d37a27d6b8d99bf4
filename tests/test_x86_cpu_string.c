/* The -cpu string parser: every token form QEMU 7.2 takes, every refusal, and hostile strings
 * (embedded NUL, overlong, control characters, 10k tokens) in bounded time. */
#include "testlib.h"
#include "../arch/x86/x86_guest.h"
#include "../core/cpu_string.h"
#include "../core/error.h"
#include "../core/qemu.h"

#include <stdlib.h>
#include <string.h>

static struct cc_ctx ctx;
static struct x86_env env;

/* As the QEMU of a file that records none reads it. */
static int parse(const char *spec, struct x86_guest *g)
{
    return x86_guest_parse(&ctx, &env, spec, CC_QEMU_DEFAULT, NULL, NULL, g);
}

static const struct x86_feature *feat(const char *name)
{
    const struct x86_feature *f = x86_catalog_feature(env.cat, name);

    assert_non_null(f);
    return f;
}

static void test_split_forms(void **state)
{
    struct cc_cpu_string s;

    (void)state;
    assert_int_equal(cc_cpu_string_split("Haswell-v4,+avx,-hle,,sse4_1=off,check,phys-bits=46", &s),
                     0);
    assert_string_equal(s.model, "Haswell-v4");
    assert_int_equal(s.n, 5); /* the empty token vanishes, as with QEMU's strtok */
    assert_int_equal(s.tokens[0].kind, CC_CPU_PLUS);
    assert_string_equal(s.tokens[0].name, "avx");
    assert_int_equal(s.tokens[1].kind, CC_CPU_MINUS);
    assert_int_equal(s.tokens[2].kind, CC_CPU_SET);
    assert_string_equal(s.tokens[2].value, "off");
    assert_false(s.tokens[3].has_value);
    assert_string_equal(s.tokens[3].value, "on");
    assert_string_equal(s.tokens[4].name, "phys-bits");
    cc_cpu_string_free(&s);
}

static void test_split_refusals(void **state)
{
    struct cc_cpu_string s;
    char *big = malloc(CC_CPU_STRING_MAX + 2);

    (void)state;
    assert_int_equal(cc_cpu_string_split("", &s), -EINVAL);
    assert_int_equal(cc_cpu_string_split(",avx", &s), -EINVAL);
    assert_int_equal(cc_cpu_string_split("Haswell\t,avx", &s), -EINVAL);
    assert_non_null(strstr(cc_error_message(), "control character"));
    assert_non_null(big);
    memset(big, 'a', CC_CPU_STRING_MAX + 1);
    big[CC_CPU_STRING_MAX + 1] = '\0';
    assert_int_equal(cc_cpu_string_split(big, &s), -EINVAL);
    assert_non_null(strstr(cc_error_message(), "longer than"));
    free(big);
}

static void test_bool_words(void **state)
{
    static const char *const yes[] = {"on", "yes", "true", "y"}, *const no[] = {"off", "no",
                                                                                "false", "n"};
    bool b;

    (void)state;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(cc_cpu_bool(yes[i], &b), 0);
        assert_true(b);
        assert_int_equal(cc_cpu_bool(no[i], &b), 0);
        assert_false(b);
    }
    assert_int_equal(cc_cpu_bool("On", &b), -1);
    assert_int_equal(cc_cpu_bool("1", &b), -1);
    assert_int_equal(cc_cpu_bool("", &b), -1);
}

/* QEMU 7.2's order: key=value in order, then every +feat, then every -feat. */
static void test_guest_order(void **state)
{
    struct x86_guest g;

    (void)state;
    assert_int_equal(parse("Haswell-v4,-avx,avx=on,+sse4_1,sse4.1=off", &g), 0);
    assert_true(x86_words_has(env.cat, &g.off, feat("avx")));
    assert_true(x86_words_has(env.cat, &g.on, feat("sse4.1")));
    assert_true(x86_words_has(env.cat, &g.user, feat("avx")));
    x86_guest_free(&g);
    assert_int_equal(parse("Haswell-v4,+avx512f,-avx512f", &g), 0);
    assert_true(x86_words_has(env.cat, &g.off, feat("avx512f")));
    x86_guest_free(&g);
    assert_int_equal(parse("Haswell-v4,avx512f=on,avx512f=no", &g), 0);
    assert_true(x86_words_has(env.cat, &g.off, feat("avx512f")));
    x86_guest_free(&g);
    /* feat2prop: sse4_1=on is sse4-1, an alias; i64, xd, ffxsr are QEMU's own. */
    assert_int_equal(parse("qemu64,sse4_1=on,i64=off,+xd,ffxsr", &g), 0);
    assert_true(x86_words_has(env.cat, &g.on, feat("sse4.1")));
    assert_true(x86_words_has(env.cat, &g.off, feat("lm")));
    assert_true(x86_words_has(env.cat, &g.on, feat("nx")));
    assert_true(x86_words_has(env.cat, &g.on, feat("fxsr-opt")));
    x86_guest_free(&g);
}

static void test_guest_props(void **state)
{
    struct x86_guest g;

    (void)state;
    assert_int_equal(parse("Haswell-v4,phys-bits=0x2e,tsc-frequency=2500000000,"
                           "check=off,enforce,l3-cache=off,kvm=off",
                           &g),
                     0);
    assert_int_equal(g.phys_bits, 46);
    assert_int_equal(g.tsc_khz, 2500000);
    assert_false(g.kvm);
    assert_true(g.check_enforce);
    x86_guest_free(&g);
    assert_int_equal(parse("Haswell-v4,tsc-freq=2.1G", &g), 0);
    assert_int_equal(g.tsc_khz, 2100000);
    x86_guest_free(&g);
    assert_int_equal(parse("host,migratable=off,host-phys-bits=on", &g), 0);
    assert_int_equal(g.base, X86_GUEST_HOST);
    assert_false(g.migratable);
    assert_true(g.host_phys_bits);
    x86_guest_free(&g);
    assert_int_equal(parse("x86-64-v2-AES,+avx", &g), 0);
    assert_int_equal(g.base, X86_GUEST_LEVEL);
    x86_guest_free(&g);
}

/* QEMU checks phys-bits only after enforce passed: a 64-bit guest's against its range, and a
 * 32-bit guest may not set it at all ("phys-bits is not user-configurable in 32 bit"). */
static void test_guest_phys_bits(void **state)
{
    struct x86_host virt = {.kvm = true};
    struct x86_guest g;
    struct x86_words w;

    (void)state;
    assert_int_equal(parse("Haswell-v4,phys-bits=53", &g), 0);
    assert_int_equal(x86_guest_words(&env, &g, &virt, "t", &w), 0);
    assert_int_equal(x86_guest_check_phys_bits(&env, &g, &w, true), -EINVAL);
    assert_non_null(strstr(cc_error_message(), "32 to 52"));
    x86_guest_free(&g);
    assert_int_equal(parse("Haswell-v4,phys-bits=53,lm=off", &g), 0);
    assert_int_equal(x86_guest_words(&env, &g, &virt, "t", &w), 0);
    assert_int_equal(x86_guest_check_phys_bits(&env, &g, &w, true), -EINVAL);
    assert_non_null(strstr(cc_error_message(), "only for a 64-bit CPU"));
    x86_guest_free(&g);
    assert_int_equal(parse("Haswell-v4,lm=off", &g), 0);
    assert_int_equal(x86_guest_words(&env, &g, &virt, "t", &w), 0);
    assert_int_equal(x86_guest_check_phys_bits(&env, &g, &w, true), 0);
    x86_guest_free(&g);
}

static void refused(const char *spec, const char *words)
{
    struct x86_guest g;

    assert_true(parse(spec, &g) < 0);
    if (!strstr(cc_error_message(), words))
        fail_msg("'%s': '%s' lacks '%s'", spec, cc_error_message(), words);
}

static void test_guest_refusals(void **state)
{
    (void)state;
    refused("Haswel", "did you mean 'Haswell'");
    refused("Haswell-v4,+avx3", "did you mean 'avx'");
    refused("Haswell-v4,+tsc_deadline_timr", "did you mean 'tsc_deadline_timer'");
    refused("Haswell-v4,avx=1", "QEMU wants on or off");
    refused("Haswell-v4,phys-bits=-1", "unsigned number");
    refused("Haswell-v4,migratable=on", "only host and max");
    refused("Haswell-v4,host-cache-info=on", "only host and max");
    refused("Haswell-v4,pmu=on", "cannot judge");
    refused("Haswell-v4,level=x", "unsigned number");
    refused("Haswell-v4,+", "no property ''");
    refused("Haswell-v4,=on", "no property ''");
    refused("Haswell-v4,tsc-freq=2Q", "frequency");
}

/* libvirt's and Linux's spellings are taken, each with a note naming QEMU's; QEMU's own
 * spellings (with feat2prop's dashes for key=value) carry none. */
static void test_guest_spellings(void **state)
{
    struct x86_guest g;

    (void)state;
    assert_int_equal(parse("Haswell-v4,+tsc_deadline_timer,-md_clear,tsc_adjust=on", &g), 0);
    assert_true(x86_words_has(env.cat, &g.on, feat("tsc-deadline")));
    assert_true(x86_words_has(env.cat, &g.off, feat("md-clear")));
    assert_true(x86_words_has(env.cat, &g.on, feat("tsc-adjust")));
    assert_int_equal(g.notes.n, 2);
    assert_non_null(strstr(g.notes.items[0], "Linux's name for QEMU's tsc-deadline"));
    assert_non_null(strstr(g.notes.items[1], "QEMU's md-clear"));
    x86_guest_free(&g);
    assert_int_equal(parse("Haswell-v4,md_clear=on,+lahf_lm,sse4_2=off", &g), 0);
    assert_int_equal(g.notes.n, 0);
    x86_guest_free(&g);
}

/* A name is read as the QEMU release that starts the guest has it. */
static void test_guest_releases(void **state)
{
    struct x86_guest g;

    (void)state;
    refused("Haswell-v4,+fsrs", "fsrs is a feature of QEMU 8.0, not of QEMU 7.2");
    refused("SapphireRapids-v2", "not in QEMU 7.2 (first in 8.1)");
    assert_int_equal(x86_guest_parse(&ctx, &env, "SapphireRapids-v2,+fsrs",
                                     CC_QEMU_VERSION(8, 1, 0), "h.xml", "source", &g),
                     0);
    assert_true(x86_words_has(env.cat, &g.on, feat("fsrs")));
    x86_guest_free(&g);
}

static void test_guest_hostile(void **state)
{
    const char nul[] = "Haswell-v4,+avx\0,+nonsense";
    struct x86_guest g;
    size_t n = strlen("Haswell-v4") + 10000 * strlen(",+avx");
    char *many = malloc(n + 1);

    (void)state;
    /* A C string ends at its NUL: what follows is not part of it. */
    assert_int_equal(parse(nul, &g), 0);
    x86_guest_free(&g);
    assert_non_null(many);
    strcpy(many, "Haswell-v4");
    for (size_t i = 0; i < 10000; i++)
        memcpy(many + strlen("Haswell-v4") + i * 5, ",+avx", 6);
    assert_int_equal(parse(many, &g), 0);
    x86_guest_free(&g);
    /* 10k unknown tokens: refused at the first, with a suggestion. */
    for (size_t i = 0; i < 10000; i++)
        memcpy(many + strlen("Haswell-v4") + i * 5, ",+av?", 6);
    assert_true(parse(many, &g) < 0);
    free(many);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_forms),     cmocka_unit_test(test_split_refusals),
        cmocka_unit_test(test_bool_words),      cmocka_unit_test(test_guest_order),
        cmocka_unit_test(test_guest_props),     cmocka_unit_test(test_guest_refusals),
        cmocka_unit_test(test_guest_hostile),   cmocka_unit_test(test_guest_phys_bits),
        cmocka_unit_test(test_guest_spellings), cmocka_unit_test(test_guest_releases),
    };
    int failed;

    test_ctx(&ctx);
    if (x86_env_get(&ctx, &env) < 0 || x86_env_models(&ctx, &env) < 0) {
        fprintf(stderr, "%s\n", cc_error_message());
        return 1;
    }
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    cc_ctx_fini(&ctx);
    return failed;
}
