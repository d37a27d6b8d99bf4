/* Every architecture this build knows. */
#include "../core/arch.h"

extern const struct cc_arch_ops x86_arch_ops;
extern const struct cc_arch_ops arm64_arch_ops;
extern const struct cc_arch_ops s390x_arch_ops;

const struct cc_arch_ops *const cc_arch_table[] = {
    &x86_arch_ops,
    &arm64_arch_ops,
    &s390x_arch_ops,
    NULL,
};
