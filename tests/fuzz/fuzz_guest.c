/* compare --guest over any guest definition (libvirt <cpu> or a whole domain XML), between two
 * real hosts and in the one-file form, on x86 (libvirt's CPU map) and on arm64 (the -cpu string
 * libvirt gives QEMU). What it answers must print in every format. */
#include "fuzzlib.h"
#include "../../core/error.h"
#include "../../core/report.h"

static struct cc_doc *hosts[2][2]; /* x86, arm64: source, destination */

static void compare(struct cc_ctx *ctx, const struct cc_doc *s, const char *sf,
                    const struct cc_doc *dst, const char *guest)
{
    struct cc_compare_opts opts = {0};
    struct cc_verdict v = {0};

    if (dst->arch->compare_guest(ctx, s, sf, dst, "dst", guest, &opts, &v) == 0)
        fuzz_report(cc_report_compare(&v, sf ? sf : "(none)", "dst"));
    cc_verdict_free(&v);
    cc_error_clear();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cc_ctx *ctx = fuzz_begin();
    const char *guest;

    if (!hosts[0][0]) {
        hosts[0][0] = fuzz_tree_import("libvirt-cpudata",
                                       "tests/data/x86/libvirt/x86_64-cpuid-Core-i7-8700.xml");
        hosts[0][1] = fuzz_tree_import("libvirt-cpudata",
                                       "tests/data/x86/libvirt/x86_64-cpuid-Xeon-Gold-6148.xml");
        hosts[1][0] = fuzz_tree_import("arm64-regs", "tests/data/arm64/qemu-max@linux-6.1.regs");
        hosts[1][1] = fuzz_tree_import("arm64-regs", "tests/data/arm64/graviton3@linux-6.18.regs");
        cc_error_clear();
    }
    guest = fuzz_file(data, size);
    for (size_t a = 0; a < 2; a++) {
        compare(ctx, hosts[a][0], "src", hosts[a][1], guest);
        compare(ctx, NULL, NULL, hosts[a][1], guest);
    }
    return 0;
}
