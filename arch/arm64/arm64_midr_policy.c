/* --midr-policy FILE: MIDR values an operator treats as one family. A different MIDR is
 * identity, not a feature (errata workarounds key on it), so it blocks a migration unless the
 * destination's KVM can set it AND a policy puts both values in one family. Format:
 *   # comment
 *   family NAME 0xMIDR 0xMIDR ...
 * MIDR values are the 32-bit MIDR_EL1 (implementer, variant, architecture, part, revision). */
#include "arm64.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xml_load.h"

#include <stdlib.h>
#include <string.h>

#define POLICY_MAX_BYTES (256u * 1024)

int arm64_midr_policy_family(const char *path, uint64_t a, uint64_t b, char *family, size_t len)
{
    _cleanup_free_ char *text = NULL;
    char *save = NULL;
    unsigned lineno = 0;
    size_t n;
    int r = cc_read_file(path, POLICY_MAX_BYTES, &text, &n);

    if (r < 0)
        return r;
    /* The lines after a NUL byte would go unread: refuse it, on its line. */
    if (strlen(text) != n) {
        for (const char *p = text; *p; p++)
            lineno += *p == '\n';
        return cc_error(EINVAL, "%s: line %u: a NUL byte: not a policy text file", path,
                        lineno + 1);
    }
    family[0] = '\0';
    (void)save;
    for (char *next = text, *line; (line = strsep(&next, "\n"));) {
        char *tsave = NULL, *t = strtok_r(line, " \t\r", &tsave), *name;
        bool has_a = false, has_b = false;

        lineno++;
        if (!t || t[0] == '#')
            continue;
        if (strcmp(t, "family") != 0 || !(name = strtok_r(NULL, " \t\r", &tsave)))
            return cc_error(EINVAL, "%s: line %u: want 'family NAME 0xMIDR...'", path, lineno);
        /* The name is reported whole or not at all. */
        if (strlen(name) >= len)
            return cc_error(EINVAL, "%s: line %u: family name longer than %zu characters", path,
                            lineno, len - 1);
        if (!(t = strtok_r(NULL, " \t\r", &tsave)))
            return cc_error(EINVAL, "%s: line %u: family %s lists no MIDR value", path, lineno,
                            name);
        for (; t; t = strtok_r(NULL, " \t\r", &tsave)) {
            char *end;
            unsigned long long v;

            errno = 0;
            v = strtoull(t, &end, 16);
            if (strncmp(t, "0x", 2) != 0 || errno || *end || v > 0xffffffffULL)
                return cc_error(EINVAL, "%s: line %u: '%s' is not a 32-bit 0x MIDR value", path,
                                lineno, t);
            has_a |= v == (a & 0xffffffff);
            has_b |= v == (b & 0xffffffff);
        }
        if (has_a && has_b && !family[0])
            snprintf(family, len, "%s", name);
    }
    return 0;
}
