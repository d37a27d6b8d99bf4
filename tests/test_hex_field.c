/* The hex fields of raw tables (CPUID rows, arm64 registers): eight digits are read at once
 * with bit arithmetic, so every byte value in every position is held to a plain digit-by-digit
 * definition, on little- and big-endian builds alike (the s390x run), and the text's end is
 * never read past (AddressSanitizer sees the exact allocation). */
#include "testlib.h"
#include "../core/text_block.h"

#include <stdlib.h>
#include <string.h>

/* The definition: "0x", then digits lower-case hex digits. */
static bool reference(const char *p, int digits, uint64_t *out)
{
    uint64_t v = 0;

    if (p[0] != '0' || p[1] != 'x')
        return false;
    for (int i = 0; i < digits; i++) {
        char c = p[2 + i];

        if (c >= '0' && c <= '9')
            v = v << 4 | (uint64_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v = v << 4 | (uint64_t)(c - 'a' + 10);
        else
            return false;
    }
    *out = v;
    return true;
}

/* text copied into an allocation of exactly its length + 1, so a read past the NUL is caught */
static void check(const char *text, int digits)
{
    size_t len = strlen(text);
    char *p = malloc(len + 1);
    uint64_t got = 0, want = 0;
    bool ok;
    const char *end;

    assert_non_null(p);
    memcpy(p, text, len + 1);
    ok = reference(p, digits, &want);
    end = cc_hex_field(p, p + len, digits, &got);
    if (ok != (end != NULL))
        fail_msg("'%s' (%d digits): %s, the definition %s", text, digits, end ? "taken" : "refused",
                 ok ? "takes it" : "refuses it");
    if (ok) {
        assert_ptr_equal(end, p + 2 + digits);
        if (got != want)
            fail_msg("'%s': %#llx, the definition %#llx", text, (unsigned long long)got,
                     (unsigned long long)want);
    }
    /* without the end, digit by digit: the same answer */
    end = cc_hex_field(p, NULL, digits, &got);
    assert_true(ok == (end != NULL));
    if (ok)
        assert_true(got == want);
    free(p);
}

static void test_every_byte_everywhere(void **state)
{
    static const char base[] = "0x0123456789abcdef";

    (void)state;
    for (int digits = 8; digits <= 16; digits += 8)
        for (size_t pos = 0; pos < 2 + (size_t)digits; pos++)
            for (int c = 1; c < 256; c++) {
                char text[sizeof(base)];

                memcpy(text, base, sizeof(base));
                text[2 + digits] = '\0';
                text[pos] = (char)c;
                check(text, digits);
            }
}

static void test_short_text(void **state)
{
    static const char *texts[] = {"0x",
                                  "0x1",
                                  "0x1234567",
                                  "0x12345678",
                                  "0x123456789abcdef",
                                  "0xffffffff",
                                  "0xffffffffffffffff",
                                  "0x00000000 0x1"};

    (void)state;
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        check(texts[i], 8);
        check(texts[i], 16);
    }
}

static void test_random_values(void **state)
{
    (void)state;
    srand(7);
    for (int i = 0; i < 20000; i++) {
        char text[24];
        unsigned long long v = (unsigned long long)rand() << 40 ^ (unsigned long long)rand() << 20 ^
                               (unsigned long long)rand();

        snprintf(text, sizeof(text), "0x%016llx", v);
        check(text, 16);
        snprintf(text, sizeof(text), "0x%08llx", v & 0xffffffffULL);
        check(text, 8);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte_everywhere),
        cmocka_unit_test(test_short_text),
        cmocka_unit_test(test_random_values),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
