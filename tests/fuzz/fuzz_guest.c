/* compare --guest over any guest definition (libvirt <cpu> or a whole domain XML), between two
 * real x86 hosts and in the one-file form. What it answers must print in every format. */
#include "fuzzlib.h"
#include "../../core/error.h"
#include "../../core/report.h"

static struct cc_doc *src, *dst;

static void compare(struct cc_ctx *ctx, const struct cc_doc *s, const char *sf, const char *guest)
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

    if (!src) {
        src = fuzz_tree_import("libvirt-cpudata",
                               "tests/data/x86/libvirt/x86_64-cpuid-Core-i7-8700.xml");
        dst = fuzz_tree_import("libvirt-cpudata",
                               "tests/data/x86/libvirt/x86_64-cpuid-Xeon-Gold-6148.xml");
        cc_error_clear();
    }
    guest = fuzz_file(data, size);
    compare(ctx, src, "src", guest);
    compare(ctx, NULL, NULL, guest);
    return 0;
}
