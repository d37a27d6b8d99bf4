/* Import of `cpuid -1 -r` text (Debian package cpuid): one "CPU:" block of
 *    0xLEAF 0xSUB: eax=0x... ebx=0x... ecx=0x... edx=0x...
 * lines. With several CPUs (`cpuid -r`), the first one is taken. */
#include "x86_import.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <string.h>

#define CPUID_RAW_MAX_BYTES (4u * 1024 * 1024)

static bool blank(const char *s)
{
    return s[strspn(s, " \t\r")] == '\0';
}

int x86_import_cpuid_raw(struct cc_ctx *ctx, const char *path, struct cc_doc *doc)
{
    _cleanup_free_ char *text = NULL;
    struct x86_raw *raw;
    size_t len;
    unsigned lineno = 0, blocks = 0;
    char *save = NULL;
    int r = cc_read_file(path, CPUID_RAW_MAX_BYTES, &text, &len);

    if (r < 0)
        return r;
    if (strlen(text) != len)
        return cc_error(EINVAL, "%s: binary data, not `cpuid -r` text", path);
    raw = x86_raw_new();
    if (!raw)
        return cc_error(ENOMEM, "out of memory");
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        unsigned leaf, sub, regs[4];
        int used = 0;

        lineno++;
        if (blank(line))
            continue;
        if (strncmp(line, "CPU", 3) == 0 && line[strlen(line) - 1] == ':') {
            if (++blocks > 1)
                break;
            continue;
        }
        if (sscanf(line, " %x %x: eax=%x ebx=%x ecx=%x edx=%x %n", &leaf, &sub, &regs[0], &regs[1],
                   &regs[2], &regs[3], &used) != 6 ||
            line[used] != '\0') {
            x86_raw_free(raw);
            return cc_error(EINVAL, "%s: line %u: not a `cpuid -r` line: '%.60s'", path, lineno,
                            line);
        }
        if (blocks == 0) {
            x86_raw_free(raw);
            return cc_error(EINVAL, "%s: line %u: values before any 'CPU:' header", path, lineno);
        }
        r = x86_raw_cpuid(raw, leaf, sub)
                ? cc_error(EINVAL, "%s: line %u: leaf 0x%x sub-leaf 0x%x given twice", path, lineno,
                           leaf, sub)
                : x86_raw_set_cpuid(raw, leaf, sub, regs);
        if (r < 0) {
            x86_raw_free(raw);
            return r;
        }
    }
    return x86_import_finish(ctx, path, "cpuid-raw", raw, doc);
}
