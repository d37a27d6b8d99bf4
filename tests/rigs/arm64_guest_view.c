/* What an arm64 guest reads, next to what userspace reads: a tiny VMM for the arm64 KVM rig
 * (tests/rigs/test-arm64-guest-view.sh). For each case it makes a VM and one vCPU as QEMU would
 * (preferred target, PSCI 0.2, PMUv3 when KVM offers it, an in-kernel GICv3: a guest's
 * ID_AA64PFR0_EL1.GIC reads 0 without one on newer kernels), writes the case's values with
 * KVM_SET_ONE_REG before the first KVM_RUN, reads every register back with KVM_GET_ONE_REG, and
 * runs guest code that does an MRS of each register and stores the value to an unmapped
 * address (one KVM_EXIT_MMIO per register). A register the guest may not read traps to a
 * vector that reports ESR_EL1 instead.
 *
 *   arm64_guest_view REGFILE CASE...
 * REGFILE: lines "NAME OP0 OP1 CRN CRM OP2". CASE: "-" (nothing written) or writes joined by
 * ',': NAME=VALUE (the register) or NAME:LSB:WIDTH=VALUE (one field of KVM's own value).
 * Prints "kernel-release R", "vcpu-features 0xF", then per case N:
 *   case N set NAME 0xVALUE ok|errno-name
 *   case N NAME user 0xVALUE|errno-name guest 0xVALUE|undef:0xESR
 * Exit 0 when every case ran; 2 on a usage error; 3 when KVM or the guest failed. Not a test
 * of its own: the script decides what the values mean. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MAX_REGS  128
#define RAM_SIZE  0x10000ULL
#define CODE_AT   0x1000ULL
#define MMIO_BASE 0x10000000ULL
#define TRAP_AT   (MMIO_BASE + 0x8000)
#define DONE_AT   (MMIO_BASE + 0x9000)
#define GICD_AT   0x08000000ULL /* QEMU virt's GICv3 layout */
#define GICR_AT   0x080a0000ULL
#define PMU_PPI   23

struct reg {
    char name[40];
    unsigned op0, op1, crn, crm, op2;
};

static struct reg regs[MAX_REGS];
static size_t n_regs;

static int xioctl(int fd, unsigned long req, void *arg)
{
    int r;

    do
        r = ioctl(fd, req, arg);
    while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

static uint64_t sysreg_id(const struct reg *r)
{
    return KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG |
           (uint64_t)r->op0 << KVM_REG_ARM64_SYSREG_OP0_SHIFT |
           (uint64_t)r->op1 << KVM_REG_ARM64_SYSREG_OP1_SHIFT |
           (uint64_t)r->crn << KVM_REG_ARM64_SYSREG_CRN_SHIFT |
           (uint64_t)r->crm << KVM_REG_ARM64_SYSREG_CRM_SHIFT |
           (uint64_t)r->op2 << KVM_REG_ARM64_SYSREG_OP2_SHIFT;
}

static uint64_t core_id(size_t offset)
{
    return KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | offset / sizeof(uint32_t);
}

static int get_reg(int vcpu, uint64_t id, uint64_t *v)
{
    struct kvm_one_reg one = {.id = id, .addr = (uint64_t)(uintptr_t)v};

    return xioctl(vcpu, KVM_GET_ONE_REG, &one);
}

static int set_reg(int vcpu, uint64_t id, uint64_t v)
{
    struct kvm_one_reg one = {.id = id, .addr = (uint64_t)(uintptr_t)&v};

    return xioctl(vcpu, KVM_SET_ONE_REG, &one);
}

/* MRS Xt, S<op0>_<op1>_C<crn>_C<crm>_<op2> and its MSR twin (op0 is 2 or 3). */
static uint32_t mrs(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                    unsigned rt)
{
    return 0xd5300000u | (op0 - 2) << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt;
}

static uint32_t msr(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                    unsigned rt)
{
    return mrs(op0, op1, crn, crm, op2, rt) & ~(1u << 21);
}

/* STR Xt, [Xn, #imm] (imm a multiple of 8 below 32768). */
static uint32_t str_imm(unsigned rt, unsigned rn, unsigned imm)
{
    return 0xf9000000u | (imm / 8) << 10 | rn << 5 | rt;
}

/* The guest: a vector table at 0 whose every entry reports ESR_EL1 to TRAP_AT (x2) and returns
 * past the trapping instruction; at CODE_AT, MRS x0 + STR x0 to MMIO_BASE (x1) + 8i for each
 * register, then a store to DONE_AT (x4). */
static void write_guest(uint32_t *ram)
{
    uint32_t *p;

    for (unsigned v = 0; v < 16; v++) {
        p = ram + v * 0x80 / 4;
        *p++ = mrs(3, 0, 5, 2, 0, 3); /* ESR_EL1 */
        *p++ = str_imm(3, 2, 0);
        *p++ = mrs(3, 0, 4, 0, 1, 3); /* ELR_EL1 */
        *p++ = 0x91001063u;           /* add x3, x3, #4 */
        *p++ = msr(3, 0, 4, 0, 1, 3);
        *p++ = 0xd69f03e0u; /* eret */
    }
    p = ram + CODE_AT / 4;
    for (size_t i = 0; i < n_regs; i++) {
        *p++ = mrs(regs[i].op0, regs[i].op1, regs[i].crn, regs[i].crm, regs[i].op2, 0);
        *p++ = str_imm(0, 1, (unsigned)(8 * i));
    }
    *p++ = str_imm(31, 4, 0); /* str xzr, [x4] */
    *p = 0x14000000u;         /* b . */
}

static const char *err_name(int e)
{
    switch (e) {
    case EINVAL:
        return "EINVAL";
    case ENOENT:
        return "ENOENT";
    case EPERM:
        return "EPERM";
    case EBUSY:
        return "EBUSY";
    case E2BIG:
        return "E2BIG";
    default:
        return strerror(e);
    }
}

static struct reg *find_reg(const char *name, size_t len)
{
    for (size_t i = 0; i < n_regs; i++)
        if (strlen(regs[i].name) == len && strncmp(regs[i].name, name, len) == 0)
            return &regs[i];
    return NULL;
}

/* One write of a case: "NAME=VALUE" or "NAME:LSB:WIDTH=VALUE". */
static int do_write(int vcpu, int n, const char *w)
{
    const char *eq = strchr(w, '='), *colon = strchr(w, ':');
    size_t len = (size_t)((colon && colon < eq ? colon : eq) - w);
    struct reg *r = eq ? find_reg(w, len) : NULL;
    uint64_t value, v = 0;
    int e;

    if (!r) {
        fprintf(stderr, "arm64_guest_view: bad write '%s'\n", w);
        return -2;
    }
    value = strtoull(eq + 1, NULL, 0);
    if (colon && colon < eq) {
        unsigned lsb = 0, width = 0;
        uint64_t mask;

        if (sscanf(colon + 1, "%u:%u", &lsb, &width) != 2 || width == 0 || lsb + width > 64) {
            fprintf(stderr, "arm64_guest_view: bad field in '%s'\n", w);
            return -2;
        }
        mask = (width == 64 ? UINT64_MAX : (1ULL << width) - 1) << lsb;
        if ((e = get_reg(vcpu, sysreg_id(r), &v)) < 0) {
            printf("case %d set %s - %s\n", n, r->name, err_name(-e));
            return 0;
        }
        value = (v & ~mask) | ((value << lsb) & mask);
    }
    e = set_reg(vcpu, sysreg_id(r), value);
    printf("case %d set %s 0x%016llx %s\n", n, r->name, (unsigned long long)value,
           e < 0 ? err_name(-e) : "ok");
    return 0;
}

static int set_attr(int fd, uint32_t group, uint64_t attr, uint64_t addr)
{
    struct kvm_device_attr a = {.group = group, .attr = attr, .addr = addr};

    return xioctl(fd, KVM_SET_DEVICE_ATTR, &a);
}

/* An in-kernel GICv3 at QEMU virt's addresses; *gic_out is its device fd. */
static int create_gic(int vm, int *gic_out)
{
    struct kvm_create_device dev = {.type = KVM_DEV_TYPE_ARM_VGIC_V3};
    uint64_t dist = GICD_AT, redist = GICR_AT;
    int r = xioctl(vm, KVM_CREATE_DEVICE, &dev);

    if (r < 0)
        return r;
    *gic_out = (int)dev.fd;
    if ((r = set_attr(*gic_out, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST,
                      (uintptr_t)&dist)) < 0)
        return r;
    return set_attr(*gic_out, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST,
                    (uintptr_t)&redist);
}

static int run_case(int kvm, int n, const char *spec)
{
    struct kvm_vcpu_init init;
    struct kvm_userspace_memory_region slot;
    struct kvm_run *run;
    uint64_t guest[MAX_REGS], user[MAX_REGS];
    bool got[MAX_REGS] = {false}, user_err[MAX_REGS] = {false};
    uint64_t last_trap = 0;
    bool pending_trap = false, done = false;
    size_t next = 0;
    long map_size;
    int vm, vcpu, gic = -1, r, ret = 3;
    void *ram;
    char *copy, *save = NULL;

    if ((vm = xioctl(kvm, KVM_CREATE_VM, 0)) < 0) {
        fprintf(stderr, "arm64_guest_view: KVM_CREATE_VM: %s\n", strerror(-vm));
        return 3;
    }
    ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ram == MAP_FAILED) {
        close(vm);
        return 3;
    }
    write_guest(ram);
    slot = (struct kvm_userspace_memory_region){
        .slot = 0, .guest_phys_addr = 0, .memory_size = RAM_SIZE, .userspace_addr = (uintptr_t)ram};
    run = MAP_FAILED;
    vcpu = -1;
    if ((r = xioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot)) < 0 ||
        (r = xioctl(vm, KVM_ARM_PREFERRED_TARGET, &init)) < 0 ||
        (r = vcpu = xioctl(vm, KVM_CREATE_VCPU, 0)) < 0 || (r = create_gic(vm, &gic)) < 0) {
        fprintf(stderr, "arm64_guest_view: VM setup: %s\n", strerror(-r));
        goto out;
    }
    init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    if (xioctl(kvm, KVM_CHECK_EXTENSION, (void *)(long)KVM_CAP_ARM_PMU_V3) > 0)
        init.features[0] |= 1u << KVM_ARM_VCPU_PMU_V3;
    if ((r = xioctl(vcpu, KVM_ARM_VCPU_INIT, &init)) < 0) {
        fprintf(stderr, "arm64_guest_view: KVM_ARM_VCPU_INIT: %s\n", strerror(-r));
        goto out;
    }
    /* QEMU's order: GIC and PMU are set up with the machine, the migration stream comes
     * after. */
    if ((r = set_attr(gic, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, 0)) < 0) {
        fprintf(stderr, "arm64_guest_view: GIC init: %s\n", strerror(-r));
        goto out;
    }
    if (init.features[0] & 1u << KVM_ARM_VCPU_PMU_V3) {
        int irq = PMU_PPI;

        if ((r = set_attr(vcpu, KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ,
                          (uintptr_t)&irq)) < 0 ||
            (r = set_attr(vcpu, KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT, 0)) < 0) {
            fprintf(stderr, "arm64_guest_view: PMU init: %s\n", strerror(-r));
            goto out;
        }
    }
    if (n == 0)
        printf("vcpu-features 0x%x\n", init.features[0]);
    if (strcmp(spec, "-") != 0) {
        if (!(copy = strdup(spec)))
            goto out;
        for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save))
            if (do_write(vcpu, n, w) < 0) {
                free(copy);
                ret = 2;
                goto out;
            }
        free(copy);
    }
    for (size_t i = 0; i < n_regs; i++) {
        uint64_t v = 0;
        int e = get_reg(vcpu, sysreg_id(&regs[i]), &v);

        user[i] = e < 0 ? (uint64_t)-e : v;
        user_err[i] = e < 0;
    }
    if ((r = set_reg(vcpu, core_id(offsetof(struct kvm_regs, regs.pc)), CODE_AT)) < 0 ||
        (r = set_reg(vcpu, core_id(offsetof(struct kvm_regs, regs.regs[1])), MMIO_BASE)) < 0 ||
        (r = set_reg(vcpu, core_id(offsetof(struct kvm_regs, regs.regs[2])), TRAP_AT)) < 0 ||
        (r = set_reg(vcpu, core_id(offsetof(struct kvm_regs, regs.regs[4])), DONE_AT)) < 0 ||
        (r = set_reg(vcpu,
                     KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG |
                         (uint64_t)3 << KVM_REG_ARM64_SYSREG_OP0_SHIFT |
                         (uint64_t)12 << KVM_REG_ARM64_SYSREG_CRN_SHIFT,
                     0)) < 0) { /* VBAR_EL1 */
        fprintf(stderr, "arm64_guest_view: setting the guest's registers: %s\n", strerror(-r));
        goto out;
    }
    map_size = xioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, NULL);
    if (map_size <= 0 || (run = mmap(NULL, (size_t)map_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                                     vcpu, 0)) == MAP_FAILED) {
        fprintf(stderr, "arm64_guest_view: cannot map kvm_run\n");
        goto out;
    }
    for (size_t steps = 0; !done && steps < 4 * n_regs + 16; steps++) {
        uint64_t data = 0;

        if ((r = xioctl(vcpu, KVM_RUN, NULL)) < 0) {
            fprintf(stderr, "arm64_guest_view: KVM_RUN: %s\n", strerror(-r));
            goto out;
        }
        if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write) {
            fprintf(stderr, "arm64_guest_view: unexpected exit %u\n", run->exit_reason);
            goto out;
        }
        memcpy(&data, run->mmio.data, run->mmio.len <= 8 ? run->mmio.len : 8);
        if (run->mmio.phys_addr == DONE_AT) {
            done = true;
        } else if (run->mmio.phys_addr == TRAP_AT) {
            pending_trap = true;
            last_trap = data;
        } else if (run->mmio.phys_addr == MMIO_BASE + 8 * next && next < n_regs) {
            guest[next] = pending_trap ? last_trap : data;
            got[next] = !pending_trap;
            pending_trap = false;
            next++;
        } else {
            fprintf(stderr, "arm64_guest_view: store to 0x%llx out of order\n",
                    (unsigned long long)run->mmio.phys_addr);
            goto out;
        }
    }
    if (!done || next != n_regs) {
        fprintf(stderr, "arm64_guest_view: the guest stopped after %zu of %zu registers\n", next,
                n_regs);
        goto out;
    }
    for (size_t i = 0; i < n_regs; i++) {
        printf("case %d %s user ", n, regs[i].name);
        if (user_err[i])
            printf("%s", err_name((int)user[i]));
        else
            printf("0x%016llx", (unsigned long long)user[i]);
        if (got[i])
            printf(" guest 0x%016llx\n", (unsigned long long)guest[i]);
        else
            printf(" guest undef:0x%llx\n", (unsigned long long)guest[i]);
    }
    ret = 0;
out:
    if (run != MAP_FAILED)
        munmap(run, (size_t)map_size);
    if (vcpu >= 0)
        close(vcpu);
    if (gic >= 0)
        close(gic);
    close(vm);
    munmap(ram, RAM_SIZE);
    return ret;
}

static int read_regs(const char *file)
{
    FILE *f = fopen(file, "r");
    char line[256];

    if (!f) {
        fprintf(stderr, "arm64_guest_view: %s: %s\n", file, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof(line), f)) {
        struct reg *r = &regs[n_regs];

        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (n_regs == MAX_REGS ||
            sscanf(line, "%39s %u %u %u %u %u", r->name, &r->op0, &r->op1, &r->crn, &r->crm,
                   &r->op2) != 6 ||
            r->op0 < 2 || r->op0 > 3 || r->op1 > 7 || r->crn > 15 || r->crm > 15 || r->op2 > 7) {
            fprintf(stderr, "arm64_guest_view: %s: bad line: %s", file, line);
            fclose(f);
            return -1;
        }
        n_regs++;
    }
    fclose(f);
    return n_regs ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct utsname u;
    int kvm, status = 0;

    if (argc < 3 || read_regs(argv[1]) < 0) {
        fprintf(stderr, "usage: arm64_guest_view REGFILE CASE...\n");
        return 2;
    }
    if (uname(&u) == 0)
        printf("kernel-release %s\n", u.release);
    if ((kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC)) < 0) {
        fprintf(stderr, "arm64_guest_view: /dev/kvm: %s\n", strerror(errno));
        return 3;
    }
    for (int i = 2; i < argc && status == 0; i++)
        status = run_case(kvm, i - 2, argv[i]);
    close(kvm);
    return status;
}
