/* x86 feature spellings (data/x86/feature-names.xml): any QEMU, libvirt or Linux spelling to the
 * catalog feature through one hash table, and each feature's spelling in each naming. */
#include "x86.h"
#include "../../core/cleanup.h"
#include "../../core/error.h"
#include "../../core/xml_load.h"

#include <stdlib.h>
#include <string.h>

struct name_slot {
    const char *key;             /* owned by names->strings */
    int16_t feat[X86_N_NAMINGS]; /* feature index per naming, -1 where it means nothing */
};

struct x86_names {
    const struct x86_catalog *cat;
    struct cc_strlist strings;           /* every spelling, owned */
    const char *(*spell)[X86_N_NAMINGS]; /* per catalog feature */
    struct name_slot *slots;
    size_t n_slots, used;
    struct cc_kvlist unmapped; /* libvirt name -> reason */
};

static const char *const naming_names[X86_N_NAMINGS] = {"qemu", "libvirt", "linux"};

int x86_naming_from_name(const char *s)
{
    for (int i = 0; i < X86_N_NAMINGS; i++)
        if (strcmp(s, naming_names[i]) == 0)
            return i;
    return -1;
}

const char *x86_naming_name(enum x86_naming n)
{
    return naming_names[n];
}

void x86_names_free(struct x86_names *names)
{
    if (!names)
        return;
    cc_strlist_free(&names->strings);
    cc_kv_free(&names->unmapped);
    free(names->spell);
    free(names->slots);
    free(names);
}

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static struct name_slot *slot_for(const struct x86_names *names, const char *key)
{
    size_t mask = names->n_slots - 1;

    for (size_t i = hash(key) & mask;; i = (i + 1) & mask)
        if (!names->slots[i].key || strcmp(names->slots[i].key, key) == 0)
            return &names->slots[i];
}

static int grow_slots(struct x86_names *names)
{
    struct name_slot *old = names->slots;
    size_t n_old = names->n_slots;

    names->n_slots = n_old ? n_old * 2 : 1024;
    names->slots = calloc(names->n_slots, sizeof(*names->slots));
    if (!names->slots) {
        names->slots = old;
        names->n_slots = n_old;
        return cc_error(ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n_old; i++)
        if (old[i].key)
            *slot_for(names, old[i].key) = old[i];
    free(old);
    return 0;
}

/* One spelling of a feature in a naming; the first meaning a naming gives a spelling stays. */
static int add_spelling(struct x86_names *names, const char *file, int line, const char *s,
                        enum x86_naming naming, int16_t feat)
{
    struct name_slot *slot;
    int r;

    if (2 * (names->used + 1) > names->n_slots && (r = grow_slots(names)) < 0)
        return r;
    slot = slot_for(names, s);
    if (!slot->key) {
        if ((r = cc_strlist_add(&names->strings, s)) < 0)
            return r;
        slot->key = names->strings.items[names->strings.n - 1];
        for (int i = 0; i < X86_N_NAMINGS; i++)
            slot->feat[i] = -1;
        names->used++;
    }
    if (slot->feat[naming] >= 0 && slot->feat[naming] != feat)
        return cc_error(EINVAL, "%s: line %d: %s name '%s' given to two features", file, line,
                        naming_names[naming], s);
    slot->feat[naming] = feat;
    return 0;
}

struct names_reader {
    const char *file;
    struct x86_names *names;
    int16_t feat; /* open <feature>, -1 outside */
};

static int read_feature(struct names_reader *nr, const char *const *attrs, int line)
{
    const struct x86_catalog *cat = nr->names->cat;
    const char *qemu = cc_xml_pair(attrs, "qemu");
    const struct x86_feature *f = qemu ? x86_catalog_feature(cat, qemu) : NULL;
    int r = 0;

    if (!f || strcmp(f->name, qemu) != 0)
        return cc_error(EINVAL, "%s: line %d: '%s' is not a catalog feature", nr->file, line,
                        qemu ? qemu : "(no qemu name)");
    nr->feat = (int16_t)(f - cat->features);
    for (int n = 0; n < X86_N_NAMINGS && r == 0; n++) {
        const char *s = cc_xml_pair(attrs, naming_names[n]);

        if (!s)
            continue;
        if ((r = add_spelling(nr->names, nr->file, line, s, (enum x86_naming)n, nr->feat)) == 0)
            nr->names->spell[nr->feat][n] = slot_for(nr->names, s)->key;
    }
    return r;
}

static int names_start(void *user, const char *el, const char *const *attrs, int line)
{
    struct names_reader *nr = user;
    const char *name, *naming, *reason;
    int n;

    if (strcmp(el, "feature") == 0)
        return read_feature(nr, attrs, line);
    if (strcmp(el, "alias") == 0 && nr->feat >= 0) {
        name = cc_xml_pair(attrs, "name");
        naming = cc_xml_pair(attrs, "naming");
        if (!name || !naming || (n = x86_naming_from_name(naming)) < 0)
            return cc_error(EINVAL, "%s: line %d: <alias> needs a name and a known naming",
                            nr->file, line);
        return add_spelling(nr->names, nr->file, line, name, (enum x86_naming)n, nr->feat);
    }
    if (strcmp(el, "unmapped") == 0) {
        name = cc_xml_pair(attrs, "libvirt");
        reason = cc_xml_pair(attrs, "reason");
        if (!name || !reason || !*reason)
            return cc_error(EINVAL, "%s: line %d: <unmapped> needs a libvirt name and a reason",
                            nr->file, line);
        return cc_kv_set(&nr->names->unmapped, name, reason);
    }
    return 0;
}

static int names_end(void *user, const char *el, const char *text)
{
    struct names_reader *nr = user;

    (void)text;
    if (strcmp(el, "feature") == 0)
        nr->feat = -1;
    return 0;
}

static int load_names(struct cc_ctx *ctx, struct x86_names *names)
{
    static const struct cc_xml_sax handler = {.start = names_start, .end = names_end};
    _cleanup_free_ char *path = NULL;
    struct names_reader nr = {.names = names, .feat = -1};
    int r = cc_ctx_data_path(ctx, "x86/feature-names.xml", &path);

    if (r < 0)
        return r;
    nr.file = path;
    r = cc_xml_sax_file(path, &handler, &nr);
    if (r == 0 && names->used == 0)
        r = cc_error(EINVAL, "%s: not an x86 feature name table", path);
    return r;
}

int x86_names_get(struct cc_ctx *ctx, const struct x86_catalog *cat, const struct x86_names **out)
{
    struct x86_catalog *owner = (struct x86_catalog *)cat; /* cache owned by the catalog */
    struct x86_names *names;
    int r;

    if (!owner->names) {
        names = calloc(1, sizeof(*names));
        if (!names)
            return cc_error(ENOMEM, "out of memory");
        names->cat = cat;
        names->spell = calloc(cat->n_features ? cat->n_features : 1, sizeof(*names->spell));
        r = names->spell ? load_names(ctx, names) : cc_error(ENOMEM, "out of memory");
        if (r < 0) {
            x86_names_free(names);
            return r;
        }
        owner->names = names;
    }
    *out = owner->names;
    return 0;
}

const struct x86_feature *x86_names_find(const struct x86_names *names, const char *spelling,
                                         int naming)
{
    const struct name_slot *slot = slot_for(names, spelling);

    if (!slot->key)
        return NULL;
    for (int n = 0; n < X86_N_NAMINGS; n++)
        if ((naming == X86_NAMING_ANY || naming == n) && slot->feat[n] >= 0)
            return &names->cat->features[slot->feat[n]];
    return NULL;
}

const char *x86_names_spell(const struct x86_names *names, const struct x86_feature *f,
                            enum x86_naming naming)
{
    return names->spell[f - names->cat->features][naming];
}

const char *x86_names_unmapped(const struct x86_names *names, const char *libvirt_name)
{
    return cc_kv_get(&names->unmapped, libvirt_name);
}
