#include "number.h"

#include <errno.h>
#include <stdbool.h>

int cc_parse_decimal(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    bool big = false;

    if (!s || !*s || (s[0] == '0' && s[1]))
        return -EINVAL;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -EINVAL;
        big |= v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    if (big || v < min || v > max)
        return -ERANGE;
    *out = v;
    return 0;
}

int cc_parse_hex(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    int n = 0;

    if (!s || s[0] != '0' || s[1] != 'x' || !s[2])
        return -EINVAL;
    for (s += 2; *s; s++, n++) {
        if (*s >= '0' && *s <= '9')
            v = v << 4 | (uint64_t)(*s - '0');
        else if (*s >= 'a' && *s <= 'f')
            v = v << 4 | (uint64_t)(*s - 'a' + 10);
        else
            return -EINVAL;
    }
    if (n > 16)
        return -EINVAL;
    if (v < min || v > max)
        return -ERANGE;
    *out = v;
    return 0;
}

int cc_parse_number(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (s && s[0] == '0' && s[1] == 'x')
        return cc_parse_hex(s, min, max, out);
    return cc_parse_decimal(s, min, max, out);
}
