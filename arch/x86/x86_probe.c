/* `dump` on an x86-64 host: the CPUID instruction ("cpu" view) and KVM ("kvm" view). */
#include "x86.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"

#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CPU_SOURCE "CPUID instruction"

/* CPUID answers for the logical CPU it runs on. Pinning to one CPU makes repeated dumps agree
 * (hybrid parts differ per core type); the APIC IDs are masked anyway. */
static bool pin_first_cpu(cpu_set_t *saved)
{
    cpu_set_t one;

    if (sched_getaffinity(0, sizeof(*saved), saved) < 0)
        return false;
    for (int i = 0; i < CPU_SETSIZE; i++) {
        if (CPU_ISSET(i, saved)) {
            CPU_ZERO(&one);
            CPU_SET(i, &one);
            return sched_setaffinity(0, sizeof(one), &one) == 0;
        }
    }
    return false;
}

static int read_microcode(struct cc_doc *doc, int cpu)
{
    char path[96], buf[64];
    _cleanup_fclose_ FILE *f = NULL;
    unsigned long long rev;

    snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/microcode/version", cpu);
    f = fopen(path, "re");
    if (!f || !fgets(buf, sizeof(buf), f) || sscanf(buf, "%llx", &rev) != 1)
        return 0; /* not exposed (e.g. inside most VMs): the field is optional */
    return cc_kv_setf(&doc->identity, "microcode", "0x%llx", rev);
}

/* Feature MSRs of the silicon, where the msr driver is loaded and we may read it. */
static int read_feature_msrs(const struct x86_catalog *cat, int cpu, struct x86_raw *raw)
{
    char path[64];
    _cleanup_close_ int fd = -1;

    snprintf(path, sizeof(path), "/dev/cpu/%d/msr", cpu);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    for (size_t i = 0; i < cat->n_words; i++) {
        uint64_t v;

        if (!cat->words[i].is_msr || x86_raw_msr(raw, cat->words[i].msr))
            continue;
        if (pread(fd, &v, sizeof(v), cat->words[i].msr) == (ssize_t)sizeof(v)) {
            int r = x86_raw_set_msr(raw, cat->words[i].msr, v);
            if (r < 0)
                return r;
        }
    }
    x86_raw_sort(raw);
    return 0;
}

int x86_probe_with(struct cc_ctx *ctx, const struct cc_probe_opts *opts,
                   const struct x86_cpuid_source *src, const char *kvm_dev, struct cc_doc *doc)
{
    const struct x86_catalog *cat;
    struct x86_raw *raw;
    cpu_set_t saved;
    bool pinned;
    int cpu, r;

    r = x86_catalog_get(ctx, &cat);
    if (r < 0)
        return r;
    raw = x86_raw_new();
    if (!raw)
        return cc_error(ENOMEM, "out of memory");
    pinned = src == &x86_cpuid_instruction && pin_first_cpu(&saved);
    cpu = pinned ? sched_getcpu() : 0;
    r = x86_cpuid_walk(cat, src, raw);
    if (r == 0 && src == &x86_cpuid_instruction)
        r = read_feature_msrs(cat, cpu < 0 ? 0 : cpu, raw);
    if (pinned)
        sched_setaffinity(0, sizeof(saved), &saved);
    if (r == 0)
        r = x86_identity_from_raw(doc, raw, "CPUID");
    if (r == 0 && src == &x86_cpuid_instruction)
        r = read_microcode(doc, cpu < 0 ? 0 : cpu);
    if ((r = cc_doc_finish_view(doc, r, "cpu", CPU_SOURCE, raw, NULL, NULL)) < 0)
        return r;

    if (opts->skip_kvm)
        return 0;
    return cc_probe_kvm_outcome(opts, x86_kvm_probe(ctx, kvm_dev, doc));
}

int x86_probe(struct cc_ctx *ctx, const struct cc_probe_opts *opts, struct cc_doc *doc)
{
    int r = cc_doc_stamp_origin(doc, "probe");

    if (r < 0)
        return r;
    return x86_probe_with(ctx, opts, &x86_cpuid_instruction, "/dev/kvm", doc);
}
