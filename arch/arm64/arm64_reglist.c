/* The registers a VMM migrates: KVM_GET_REG_LIST as a dump records it ("kvm-reg-list", runs of
 * consecutive ids) and the ones a destination lacks. QEMU's cpu_post_load() refuses an incoming
 * stream that carries a register the destination's list lacks; core and SVE registers are synced
 * by hand and do not count. */
#include "arm64.h"
#include "../../core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A property value is at most 256 characters: the list goes in pieces, kvm-reg-list, then
 * kvm-reg-list-2, -3 and so on. */
#define PIECE_MAX  250
#define PIECES_MAX 64

#define COPROC(id)  (((id) >> 16) & 0xfff)
#define COPROC_CORE 0x0010
#define COPROC_SYS  0x0013
#define COPROC_SVE  0x0015
/* A real list is a few hundred ids; a file claiming more than this is not one. */
#define REG_LIST_MAX 8192

bool arm64_reg_list_counts(uint64_t id)
{
    return COPROC(id) != COPROC_CORE && COPROC(id) != COPROC_SVE;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

int arm64_reg_list_format(uint64_t *ids, size_t n, char **out)
{
    size_t cap = n * 40 + 1, used = 0;
    char *s = malloc(cap);

    if (!s)
        return cc_error(ENOMEM, "out of memory");
    s[0] = 0;
    qsort(ids, n, sizeof(*ids), cmp_u64);
    for (size_t i = 0; i < n;) {
        size_t e = i;

        while (e + 1 < n && ids[e + 1] == ids[e] + 1)
            e++;
        used += (size_t)snprintf(s + used, cap - used, e > i ? "%s%#llx-%#llx" : "%s%#llx",
                                 used ? " " : "", (unsigned long long)ids[i],
                                 (unsigned long long)ids[e]);
        i = e + 1;
    }
    *out = s;
    return 0;
}

int arm64_reg_list_parse(const char *file, const char *s, uint64_t **out, size_t *n_out)
{
    uint64_t *ids = NULL;
    size_t n = 0, cap = 0;

    while (s && *s) {
        unsigned long long a, b;
        char *end;

        while (*s == ' ')
            s++;
        if (!*s)
            break;
        errno = 0;
        a = strtoull(s, &end, 16);
        b = a;
        if (!errno && end != s && *end == '-')
            b = strtoull(end + 1, &end, 16);
        if (errno || end == s || (*end && *end != ' ') || b < a || b - a >= REG_LIST_MAX ||
            n + (b - a) + 1 > REG_LIST_MAX) {
            free(ids);
            return cc_error(EINVAL, "%s: kvm-reg-list: not a list of register ids", file);
        }
        for (unsigned long long v = a; v <= b; v++) {
            if (n == cap) {
                uint64_t *t = realloc(ids, (cap = cap ? cap * 2 : 256) * sizeof(*ids));

                if (!t) {
                    free(ids);
                    return cc_error(ENOMEM, "out of memory");
                }
                ids = t;
            }
            ids[n++] = v;
        }
        s = end;
    }
    *out = ids;
    *n_out = n;
    return 0;
}

static bool has(const uint64_t *ids, size_t n, uint64_t id)
{
    return bsearch(&id, ids, n, sizeof(*ids), cmp_u64) != NULL;
}

int arm64_reg_list_judge(const struct arm64_catalog *cat, const char *file, const char *src_list,
                         const char *dst_list, const struct arm64_raw *sraw,
                         struct cc_blockers *out)
{
    uint64_t *s = NULL, *d = NULL;
    size_t ns = 0, nd = 0, missing = 0, used = 0;
    char names[1024] = "";
    int r = arm64_reg_list_parse(file, src_list, &s, &ns);

    if (r == 0)
        r = arm64_reg_list_parse(file, dst_list, &d, &nd);
    if (r == 0)
        qsort(d, nd, sizeof(*d), cmp_u64);
    for (size_t i = 0; i < ns && r == 0; i++) {
        const char *name = NULL;
        char sys[40];

        if (!arm64_reg_list_counts(s[i]) || has(d, nd, s[i]))
            continue;
        for (size_t k = 0; k < cat->n_regs && !name; k++)
            if (cat->regs[k].id == s[i])
                name = cat->regs[k].name;
        if (name && arm64_raw_get(sraw, name))
            continue; /* its own blocker says so */
        if (!name && COPROC(s[i]) == COPROC_SYS) {
            snprintf(sys, sizeof(sys), "S%u_%u_C%u_C%u_%u", (unsigned)(s[i] >> 14) & 3,
                     (unsigned)(s[i] >> 11) & 7, (unsigned)(s[i] >> 7) & 15,
                     (unsigned)(s[i] >> 3) & 15, (unsigned)s[i] & 7);
            name = sys;
        } else if (!name) {
            snprintf(sys, sizeof(sys), "%#llx", (unsigned long long)s[i]);
            name = sys;
        }
        if (++missing <= 16 && used < sizeof(names))
            used +=
                (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", used ? " " : "", name);
    }
    if (r == 0 && missing)
        r = cc_blockers_add(out, "kvm-reg-list", "KVM_GET_REG_LIST", CC_REASON_MISSING,
                            "the destination's KVM lacks %zu register%s the source migrates, "
                            "and QEMU refuses such a stream (cpu_post_load): %s%s",
                            missing, missing == 1 ? "" : "s", names, missing > 16 ? " ..." : "");
    free(s);
    free(d);
    return r;
}

int arm64_reg_list_store(struct cc_kvlist *props, const char *list)
{
    size_t len = strlen(list), at = 0;
    int r = 0;

    for (int piece = 1; at < len && r == 0 && piece <= PIECES_MAX; piece++) {
        size_t n = len - at;
        char name[32];

        if (n > PIECE_MAX) {
            n = PIECE_MAX;
            while (n > 0 && list[at + n] != ' ')
                n--;
        }
        if (n == 0)
            return cc_error(EINVAL, "kvm-reg-list: an id longer than a property");
        snprintf(name, sizeof(name), piece == 1 ? "kvm-reg-list" : "kvm-reg-list-%d", piece);
        r = cc_kv_setf(props, name, "%.*s", (int)n, list + at);
        at += n;
        while (at < len && list[at] == ' ')
            at++;
    }
    return r;
}

int arm64_reg_list_of(const struct cc_view *view, char **out)
{
    size_t used = 0, cap = 0;
    char *s = NULL;

    *out = NULL;
    for (int piece = 1; piece <= PIECES_MAX; piece++) {
        char name[32];
        const char *v;
        size_t n;

        snprintf(name, sizeof(name), piece == 1 ? "kvm-reg-list" : "kvm-reg-list-%d", piece);
        if (!(v = cc_kv_get(&view->props, name)))
            break;
        n = strlen(v);
        if (used + n + 2 > cap) {
            char *t = realloc(s, cap = used + n + 2 + 1024);

            if (!t) {
                free(s);
                return cc_error(ENOMEM, "out of memory");
            }
            s = t;
        }
        used += (size_t)sprintf(s + used, "%s%s", used ? " " : "", v);
    }
    *out = s;
    return 0;
}
