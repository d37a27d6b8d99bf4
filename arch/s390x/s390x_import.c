/* The Linux view of an s390x machine: /proc/cpuinfo (the "facilities" line is STFLE's list, the
 * "machine" fields the machine type) and /proc/sysinfo (STSI: type, model, LPAR and hypervisor).
 * `import s390x-cpuinfo FILE` reads a saved copy (cpuinfo, optionally followed by sysinfo); the
 * probe reads the live files through the same parser. */
#include "s390x.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xml_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROC_MAX (1u << 20)

/* "key : value" or "Key:   value" with the value's spaces trimmed; NULL if the line is not. */
static char *split(char *line, const char **value)
{
    char *colon = strchr(line, ':'), *end;

    if (!colon)
        return NULL;
    *colon = '\0';
    for (end = colon; end > line && (end[-1] == ' ' || end[-1] == '\t'); end--)
        end[-1] = '\0';
    for (colon++; *colon == ' ' || *colon == '\t'; colon++)
        ;
    for (end = colon + strlen(colon); end > colon && (end[-1] == ' ' || end[-1] == '\r'); end--)
        end[-1] = '\0';
    *value = colon;
    return line;
}

static int set_type(struct cc_doc *doc, const char *file, int line, const char *v)
{
    char *end;
    unsigned long t = strtoul(v, &end, 16);
    const char *old = cc_kv_get(&doc->identity, "type");
    char buf[8];

    if (end == v || (*end && *end != ' ') || t == 0 || t > 0xffff)
        return cc_error(EINVAL, "%s: line %d: machine type '%s' is not 4 hex digits", file, line,
                        v);
    snprintf(buf, sizeof(buf), "0x%04lx", t);
    if (old && strcmp(old, buf) != 0)
        return cc_error(EINVAL, "%s: line %d: machine type %s, but %s before", file, line, buf,
                        old);
    return cc_kv_set(&doc->identity, "type", buf);
}

int s390x_parse_proc(const char *text, const char *file, struct cc_doc *doc, struct s390x_raw *raw,
                     struct cc_kvlist *props)
{
    _cleanup_free_ char *copy = strdup(text);
    char *save = NULL, *line;
    bool facilities = false, lpar = false;
    int n = 0, r = 0;

    if (!copy)
        return cc_error(ENOMEM, "out of memory");
    for (line = strtok_r(copy, "\n", &save); line && r == 0; line = strtok_r(NULL, "\n", &save)) {
        const char *v;
        char *key, *m;

        n++;
        /* "processor 0: version = FF,  identification = 0733E8,  machine = 3906" */
        if (strncmp(line, "processor ", 10) == 0 && (m = strstr(line, "machine = "))) {
            r = set_type(doc, file, n, m + 10);
            continue;
        }
        if (!(key = split(line, &v)))
            continue;
        if (strcmp(key, "facilities") == 0) {
            char *fs = NULL;
            _cleanup_free_ char *list = strdup(v);

            if (!list)
                return cc_error(ENOMEM, "out of memory");
            facilities = true;
            for (char *t = strtok_r(list, " ", &fs); t && r == 0; t = strtok_r(NULL, " ", &fs)) {
                char *end;
                unsigned long bit = strtoul(t, &end, 10);

                if (*end || end == t || bit >= S390X_BLOCK_MAX * 8)
                    r = cc_error(EINVAL, "%s: line %d: facility '%s' is not a bit number", file, n,
                                 t);
                else
                    r = s390x_raw_set_bit(raw, "stfle", (unsigned)bit);
            }
        } else if (strcmp(key, "machine") == 0 || strcmp(key, "Type") == 0) {
            r = set_type(doc, file, n, v);
        } else if (strcmp(key, "features") == 0) {
            r = cc_kv_set(props, "cpuinfo-features", v);
        } else if (strcmp(key, "Manufacturer") == 0 && *v) {
            r = cc_kv_set(&doc->identity, "manufacturer", v);
        } else if (strcmp(key, "Model") == 0 && *v) {
            r = cc_kv_set(&doc->identity, "model", v);
        } else if (strcmp(key, "Sequence Code") == 0 && *v) {
            r = cc_kv_set(&doc->identity, "sequence", v);
        } else if (strcmp(key, "LPAR Name") == 0) {
            lpar = true;
        } else if (strcmp(key, "VM00 Control Program") == 0 && *v) {
            r = cc_kv_set(props, "hypervisor", v);
        }
    }
    if (r == 0 && !facilities)
        r = cc_error(EINVAL, "%s: no 'facilities' line: not an s390x /proc/cpuinfo", file);
    if (r == 0 && !cc_kv_get(&doc->identity, "type"))
        r = cc_error(EINVAL, "%s: no machine type ('machine' in /proc/cpuinfo)", file);
    if (r == 0 && !cc_kv_get(props, "hypervisor") && lpar)
        r = cc_kv_set(props, "hypervisor", "LPAR");
    return r;
}

int s390x_import_cpuinfo(struct cc_ctx *ctx, const char *path, struct cc_doc *doc)
{
    _cleanup_free_ char *text = NULL;
    struct s390x_raw *raw = s390x_raw_new();
    struct cc_kvlist props = {0};
    size_t len;
    int r = raw ? 0 : cc_error(ENOMEM, "out of memory");

    (void)ctx;
    if (r == 0)
        r = cc_read_file(path, PROC_MAX, &text, &len);
    if (r == 0 && strlen(text) != len)
        r = cc_error(EINVAL, "%s: contains a NUL byte: not a text file", path);
    if (r == 0)
        r = s390x_parse_proc(text, path, doc, raw, &props);
    if (r == 0)
        r = cc_doc_stamp_import(doc, "s390x-cpuinfo", path);
    return cc_doc_finish_view(doc, r, "cpu", "/proc/cpuinfo facilities", raw, &props, NULL);
}
