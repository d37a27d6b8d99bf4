/* Import of `arm64-regs` text: register values captured elsewhere (KVM_GET_ONE_REG dumps,
 * firmware fingerprints). Lines:
 *   # comment
 *   kernel-release 6.1.0-26-arm64      the kernel whose KVM reported the values (required)
 *   view cpu                            values read at EL0 (MRS) rather than from KVM
 *   NAME 0xVALUE                        a register the catalog knows
 *   NAME 0xID 0xVALUE                   with its KVM register id (any register)
 */
#include "arm64.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REGS_MAX_BYTES (1u * 1024 * 1024)

static bool hex(const char *s, uint64_t *out)
{
    size_t n = strlen(s);

    if (strncmp(s, "0x", 2) != 0 || n > 18 || n < 3 ||
        strspn(s + 2, "0123456789abcdefABCDEF") != n - 2)
        return false;
    *out = strtoull(s + 2, NULL, 16);
    return true;
}

/* Register names as the capability file writes them. */
static bool valid_name(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && n < ARM64_NAME_MAX && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n;
}

int arm64_import_regs(struct cc_ctx *ctx, const char *path, struct cc_doc *doc)
{
    _cleanup_free_ char *text = NULL, *kernel = NULL;
    const char *view_name = "kvm";
    const struct arm64_catalog *cat;
    struct arm64_raw *raw = NULL;
    struct cc_view *view;
    char *save = NULL;
    unsigned lineno = 0;
    size_t len;
    int r = arm64_catalog_get(ctx, &cat);

    if (r == 0)
        r = cc_read_file(path, REGS_MAX_BYTES, &text, &len);
    if (r < 0)
        return r;
    if (strlen(text) != len)
        return cc_error(EINVAL, "%s: binary data, not arm64-regs text", path);
    raw = arm64_raw_new();
    if (!raw)
        return cc_error(ENOMEM, "out of memory");
    (void)save;
    for (char *next = text, *line; r == 0 && (line = strsep(&next, "\n"));) {
        char *tok[4] = {0}, *tsave = NULL;
        const struct arm64_regdef *def;
        uint64_t id = 0, value;
        int n = 0;

        lineno++;
        for (char *t = strtok_r(line, " \t\r", &tsave); t && n < 4;
             t = strtok_r(NULL, " \t\r", &tsave))
            tok[n++] = t;
        if (n == 0 || tok[0][0] == '#')
            continue;
        if (strcmp(tok[0], "kernel-release") == 0 && n == 2) {
            if (kernel) {
                r = cc_error(EINVAL, "%s: line %u: a second kernel-release line", path, lineno);
                continue;
            }
            kernel = strdup(tok[1]);
            r = kernel ? 0 : cc_error(ENOMEM, "out of memory");
            continue;
        }
        if (strcmp(tok[0], "view") == 0 && n == 2) {
            if (strcmp(tok[1], "cpu") != 0 && strcmp(tok[1], "kvm") != 0)
                r = cc_error(EINVAL, "%s: line %u: view is cpu or kvm, not '%s'", path, lineno,
                             tok[1]);
            view_name = strcmp(tok[1], "cpu") == 0 ? "cpu" : "kvm";
            continue;
        }
        def = arm64_regdef(cat, tok[0]);
        if (!valid_name(tok[0]))
            r = cc_error(EINVAL, "%s: line %u: '%s' is not a register name (A-Z, 0-9, _)", path,
                         lineno, tok[0]);
        else if ((n != 2 && n != 3) || !hex(tok[n - 1], &value) || (n == 3 && !hex(tok[1], &id))) {
            r = cc_error(EINVAL, "%s: line %u: want NAME [0xID] 0xVALUE", path, lineno);
        } else if (!def && n == 2) {
            r = cc_error(EINVAL, "%s: line %u: unknown register %s needs its KVM id", path, lineno,
                         tok[0]);
        } else if (def && n == 3 && id != def->id) {
            r = cc_error(EINVAL, "%s: line %u: %s has KVM id %#llx, not %#llx", path, lineno,
                         tok[0], (unsigned long long)def->id, (unsigned long long)id);
        } else if (arm64_raw_get(raw, tok[0])) {
            r = cc_error(EINVAL, "%s: line %u: %s given twice", path, lineno, tok[0]);
        } else {
            r = arm64_raw_set(raw, tok[0], def ? def->id : id, value);
        }
    }
    if (r == 0 && !kernel)
        r = cc_error(EINVAL, "%s: no 'kernel-release' line: the kernel decides which rules apply",
                     path);
    if (r == 0 && raw->n == 0)
        r = cc_error(EINVAL, "%s: no registers", path);
    if (r == 0) {
        arm64_raw_sort(raw);
        r = arm64_identity_from_raw(doc, raw, path);
    }
    if (r == 0)
        r = cc_doc_stamp_import(doc, "arm64-regs", path);
    if ((r = cc_doc_finish_view(doc, r, view_name, "arm64-regs", raw, NULL, &view)) < 0)
        return r;
    return cc_kv_set(&view->props, "kernel-release", kernel);
}
