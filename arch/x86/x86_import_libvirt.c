/* Import of libvirt's <cpudata arch='x86'> captures (tests/cputestdata/x86_64-cpuid-*.xml):
 * <cpuid eax_in= ecx_in= eax= ebx= ecx= edx=/> and <msr index= edx= eax=/> elements. */
#include "x86_import.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xml_load.h"

#include <string.h>

static int parse_entries(const char *path, xmlNodePtr root, struct x86_raw *raw)
{
    static const char *const cpuid_attrs[] = {"eax_in", "ecx_in", "eax", "ebx", "ecx", "edx"};
    int r = 0;

    for (xmlNodePtr c = root->children; c && r == 0; c = c->next) {
        unsigned long long v[6];

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "cpuid") == 0) {
            uint32_t regs[4];

            for (int i = 0; i < 6 && r == 0; i++)
                r = cc_xml_attr_u64(path, c, cpuid_attrs[i], UINT32_MAX, &v[i]);
            for (int i = 0; i < 4 && r == 0; i++)
                regs[i] = (uint32_t)v[2 + i];
            if (r == 0 && x86_raw_cpuid(raw, (uint32_t)v[0], (uint32_t)v[1]))
                r = cc_error(EINVAL, "%s: line %ld: leaf 0x%llx ecx_in 0x%llx given twice", path,
                             xmlGetLineNo(c), v[0], v[1]);
            if (r == 0)
                r = x86_raw_set_cpuid(raw, (uint32_t)v[0], (uint32_t)v[1], regs);
        } else if (strcmp((const char *)c->name, "msr") == 0) {
            r = cc_xml_attr_u64(path, c, "index", UINT32_MAX, &v[0]);
            if (r == 0)
                r = cc_xml_attr_u64(path, c, "edx", UINT32_MAX, &v[1]);
            if (r == 0)
                r = cc_xml_attr_u64(path, c, "eax", UINT32_MAX, &v[2]);
            if (r == 0 && x86_raw_msr(raw, (uint32_t)v[0]))
                r = cc_error(EINVAL, "%s: line %ld: MSR %#llx given twice", path, xmlGetLineNo(c),
                             v[0]);
            if (r == 0)
                r = x86_raw_set_msr(raw, (uint32_t)v[0], v[1] << 32 | v[2]);
        } else {
            r = cc_error(EINVAL, "%s: line %ld: unexpected element <%s> in <cpudata>", path,
                         xmlGetLineNo(c), (const char *)c->name);
        }
    }
    return r;
}

int x86_import_libvirt(struct cc_ctx *ctx, const char *path, struct cc_doc *doc)
{
    _cleanup_xmldoc_ xmlDocPtr xdoc = NULL;
    struct x86_raw *raw;
    xmlNodePtr root;
    const char *arch;
    int r = cc_xml_load(path, &xdoc);

    if (r < 0)
        return r;
    root = xmlDocGetRootElement(xdoc);
    if (!root || strcmp((const char *)root->name, "cpudata") != 0)
        return cc_error(EINVAL, "%s: not libvirt CPU data (root element <%s>, want <cpudata>)",
                        path, root ? (const char *)root->name : "none");
    arch = cc_xml_attr(root, "arch");
    if (!arch || strcmp(arch, "x86") != 0)
        return cc_error(EINVAL, "%s: CPU data for architecture '%s', not x86", path,
                        arch ? arch : "(none)");
    raw = x86_raw_new();
    if (!raw)
        return cc_error(ENOMEM, "out of memory");
    r = parse_entries(path, root, raw);
    if (r < 0) {
        x86_raw_free(raw);
        return r;
    }
    return x86_import_finish(ctx, path, "libvirt-cpudata", raw, doc);
}
