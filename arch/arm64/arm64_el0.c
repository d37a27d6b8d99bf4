/* The "cpu" view of an arm64 host: ID registers as EL0 reads them with MRS, which Linux
 * emulates (HWCAP_CPUID) with its sanitised, user-visible values. For hosts without KVM, and
 * beside the kvm view for comparison. A register the kernel does not emulate raises SIGILL and
 * is left out. */
#include "arm64.h"
#include "../../core/error.h"

#if defined(__aarch64__)
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/utsname.h>

#ifndef HWCAP_CPUID
#define HWCAP_CPUID (1 << 11) /* uapi asm/hwcap.h */
#endif

static sigjmp_buf trap;

static void on_sigill(int sig)
{
    (void)sig;
    siglongjmp(trap, 1);
}

/* One reader per register, generated from data/arm64/idregs.xml (build-aux/gen-arm64-mrs). */
#define ARM64_MRS(name, enc)                                                                       \
    static uint64_t read_##name(void)                                                              \
    {                                                                                              \
        uint64_t v;                                                                                \
        __asm__ volatile("mrs %0, " enc : "=r"(v));                                                \
        return v;                                                                                  \
    }
#include "arm64_mrs.h"
#undef ARM64_MRS

static const struct {
    const char *name;
    uint64_t (*read)(void);
} readers[] = {
#define ARM64_MRS(name, enc) {#name, read_##name},
#include "arm64_mrs.h"
#undef ARM64_MRS
};

int arm64_el0_view(struct cc_ctx *ctx, struct cc_doc *doc, bool identity)
{
    const struct arm64_catalog *cat;
    struct sigaction sa = {.sa_handler = on_sigill}, old;
    struct arm64_raw *raw;
    struct cc_view *view;
    struct utsname u;
    int r = arm64_catalog_get(ctx, &cat);

    if (r < 0)
        return r;
    if (!(getauxval(AT_HWCAP) & HWCAP_CPUID))
        return cc_error(ENOTSUP, "this kernel does not emulate ID register reads at EL0 "
                                 "(no HWCAP_CPUID)");
    raw = arm64_raw_new();
    if (!raw)
        return cc_error(ENOMEM, "out of memory");
    sigemptyset(&sa.sa_mask);
    sigaction(SIGILL, &sa, &old);
    for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]) && r == 0; i++) {
        const struct arm64_regdef *def = arm64_regdef(cat, readers[i].name);
        volatile uint64_t v = 0;

        if (sigsetjmp(trap, 1) != 0)
            continue; /* not emulated at EL0 on this kernel */
        v = readers[i].read();
        r = arm64_raw_set(raw, readers[i].name, def ? def->id : 0, v);
    }
    sigaction(SIGILL, &old, NULL);
    arm64_raw_sort(raw);
    if (r == 0 && identity)
        r = arm64_identity_from_raw(doc, raw, "MRS");
    r = cc_doc_finish_view(doc, r, "cpu", "MRS at EL0 (kernel-emulated ID registers)", raw, NULL,
                           &view);
    if (r < 0)
        return r;
    uname(&u);
    return cc_kv_set(&view->props, "kernel-release", u.release);
}
#endif
