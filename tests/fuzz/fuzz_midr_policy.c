/* The arm64 --midr-policy file over any input, asked about MIDR pairs of the captured hosts
 * (Neoverse N1 r3p1 and r4p1, N1 and V1, one value with itself) and with a family-name buffer
 * small enough to make the length check matter. */
#include "fuzzlib.h"
#include "../../arch/arm64/arm64.h"
#include "../../core/error.h"

#include <string.h>

static const uint64_t pairs[][2] = {
    {0x413fd0c1, 0x414fd0c1},
    {0x413fd0c1, 0x411fd401},
    {0x410fd083, 0x410fd083},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path;

    fuzz_begin();
    path = fuzz_file(data, size);
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        char family[64], small[6];

        memset(family, 'x', sizeof(family));
        if (arm64_midr_policy_family(path, pairs[i][0], pairs[i][1], family, sizeof(family)) == 0 &&
            strnlen(family, sizeof(family)) == sizeof(family))
            fuzz_violation("a family name without its end");
        cc_error_clear();
        if (arm64_midr_policy_family(path, pairs[i][0], pairs[i][1], small, sizeof(small)) == 0 &&
            strnlen(small, sizeof(small)) == sizeof(small))
            fuzz_violation("a family name without its end");
        cc_error_clear();
    }
    return 0;
}
