/* The inventory's groups: which hosts each holds, its baseline over its classes'
 * representatives, the named models all of them run, and per class what leaving its hosts out
 * would give back. See inventory_groups.h. */
#include "inventory_groups.h"
#include "qemu.h"
#include "arch.h"
#include "error.h"
#include "grow.h"
#include "xalloc.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

/* fnmatch(3) takes any text, an unclosed '[' or a trailing '\' literally: that is a typo far
 * more often than a wish, so it is refused here. */
static const char *glob_problem(const char *glob)
{
    for (const char *p = glob; *p; p++) {
        if (*p == '\\') {
            if (!*++p)
                return "ends in a backslash";
        } else if (*p == '[') {
            const char *q = p + 1;

            if (*q == '!' || *q == '^')
                q++;
            if (*q == ']')
                q++;
            while (*q && *q != ']')
                q++;
            if (!*q)
                return "has a '[' that is never closed";
            p = q;
        }
    }
    return NULL;
}

int cc_inv_groups_add(struct cc_inv_groups *g, const char *spec)
{
    const char *eq = strchr(spec, '='), *problem;
    size_t len = eq ? (size_t)(eq - spec) : 0;

    if (!eq || !len || !eq[1])
        return cc_error(EINVAL, "--group wants NAME=GLOB, not '%s'", spec);
    for (size_t i = 0; i < len; i++)
        if (!name_char(spec[i]))
            return cc_error(EINVAL,
                            "--group '%s': a NAME is letters, digits, '.', '_' and '-' only", spec);
    if ((problem = glob_problem(eq + 1)))
        return cc_error(EINVAL, "--group '%s': the GLOB %s", spec, problem);
    for (size_t i = 0; i < g->n_specs; i++)
        if (strlen(g->names[i]) == len && !strncmp(g->names[i], spec, len))
            return cc_error(EINVAL, "--group: the name '%.*s' is given twice", (int)len, spec);
    g->names = xreallocarray(g->names, g->n_specs + 1, sizeof(*g->names));
    g->globs = xreallocarray(g->globs, g->n_specs + 1, sizeof(*g->globs));
    g->names[g->n_specs] = xasprintf("%.*s", (int)len, spec);
    g->globs[g->n_specs] = xstrdup(eq + 1);
    g->n_specs++;
    return 0;
}

/* The path or the hostname: a glob with a '/' can only mean the path, and "web*" can only mean
 * a hostname when the files are named otherwise; either match counts. */
static bool host_matches(const struct cc_inv_host *h, const char *glob)
{
    return fnmatch(glob, h->file, 0) == 0 || (h->hostname && fnmatch(glob, h->hostname, 0) == 0);
}

static char *dir_of(const char *file)
{
    const char *slash = strrchr(file, '/');

    if (!slash)
        return xstrdup(".");
    return slash == file ? xstrdup("/") : xasprintf("%.*s", (int)(slash - file), file);
}

struct dir_host {
    char *dir;
    size_t host;
};

/* By directory, then in file order. */
static int cmp_dir_host(const void *a, const void *b)
{
    const struct dir_host *x = a, *y = b;
    int c = strcmp(x->dir, y->dir);

    return c ? c : (x->host > y->host) - (x->host < y->host);
}

static struct cc_inv_group *group_for(struct cc_inv_groups *g, size_t first, const char *name,
                                      const struct cc_arch_ops *arch)
{
    for (size_t i = first; i < g->n; i++)
        if (g->items[i].arch == arch)
            return &g->items[i];
    g->items = xreallocarray(g->items, g->n + 1, sizeof(*g->items));
    g->items[g->n] = (struct cc_inv_group){.name = xstrdup(name), .arch = arch};
    return &g->items[g->n++];
}

static void add_host(struct cc_inv_group *grp, const struct cc_inventory *inv, size_t h)
{
    size_t c = inv->hosts[h].cls, k = 0;

    while (k < grp->n_classes && grp->classes[k].cls != c)
        k++;
    if (k == grp->n_classes) {
        grp->classes = xreallocarray(grp->classes, k + 1, sizeof(*grp->classes));
        grp->classes[k] = (struct cc_inv_gclass){.cls = c};
        grp->n_classes++;
    }
    struct cc_inv_gclass *gc = &grp->classes[k];
    gc->hosts = xreallocarray(gc->hosts, gc->n_hosts + 1, sizeof(*gc->hosts));
    gc->hosts[gc->n_hosts++] = h;
    grp->n_hosts++;
}

/* The entries of one group name: its hosts (kept ones, in file order), one entry per
 * architecture. */
static void gather(struct cc_inv_groups *g, const struct cc_inventory *inv, const char *name,
                   const char *glob, const size_t *hosts, size_t n)
{
    size_t first = g->n, arches;

    for (size_t i = 0; i < n; i++)
        add_host(group_for(g, first, name, inv->hosts[hosts[i]].arch), inv, hosts[i]);
    if (g->n == first) {
        struct cc_inv_group *grp = group_for(g, first, name, NULL);

        cc_strlist_addf(&grp->notes, "no host matches '%s'", glob);
    }
    arches = g->n - first;
    for (size_t i = first; arches > 1 && i < g->n; i++)
        cc_strlist_addf(&g->items[i].notes,
                        "the group's hosts are of %zu architectures: one entry for each, as "
                        "no guest moves between them",
                        arches);
}

/* The class's representatives of the QEMU releases its hosts in this group are judged by. */
static void pick_reps(struct cc_inv_gclass *gc, const struct cc_inventory *inv)
{
    const struct cc_inv_class *cls = &inv->classes[gc->cls];

    for (size_t j = 0; j < cls->n_reps; j++) {
        const char *q = inv->hosts[cls->reps[j].host].qemu;
        size_t k = 0;

        for (; k < gc->n_hosts; k++) {
            const char *hq = inv->hosts[gc->hosts[k]].qemu;

            if ((!q && !hq) || (q && hq && strcmp(q, hq) == 0))
                break;
        }
        if (k < gc->n_hosts) {
            gc->reps = xreallocarray(gc->reps, gc->n_reps + 1, sizeof(*gc->reps));
            gc->files = xreallocarray(gc->files, gc->n_reps + 1, sizeof(*gc->files));
            gc->reps[gc->n_reps] = &cls->reps[j];
            /* Its twin in the group names it: notes and errors name the group's own files. */
            gc->files[gc->n_reps++] = inv->hosts[gc->hosts[k]].file;
        }
    }
}

/* The architecture's baseline over the group's representatives, leaving out class skip
 * (SIZE_MAX: none), with extra (when not NULL) as one more host. */
static int group_baseline(struct cc_ctx *ctx, const struct cc_inv_group *grp, size_t skip,
                          const struct cc_doc *extra, const char *extra_file,
                          struct cc_baseline *out)
{
    size_t n = 0, cap = 1;
    int r;

    for (size_t k = 0; k < grp->n_classes; k++)
        cap += grp->classes[k].n_reps;
    const struct cc_doc **docs = xcalloc(cap, sizeof(*docs));
    const char **files = xcalloc(cap, sizeof(*files));
    for (size_t k = 0; k < grp->n_classes; k++)
        for (size_t j = 0; k != skip && j < grp->classes[k].n_reps; j++) {
            docs[n] = grp->classes[k].reps[j]->doc;
            files[n++] = grp->classes[k].files[j];
        }
    if (extra) {
        docs[n] = extra;
        files[n++] = extra_file;
    }
    if (!grp->arch->baseline)
        r = cc_error(ENOTSUP, "baseline is not supported for %s yet", grp->arch->name);
    else
        r = grp->arch->baseline(ctx, docs, files, n, false, out);
    free(docs);
    free(files);
    return r;
}

static int usable_models(struct cc_ctx *ctx, const struct cc_arch_ops *arch,
                         const struct cc_doc *doc, const char *file, struct cc_strlist *usable,
                         struct cc_models_report *keep)
{
    struct cc_models_report mr = {0};
    int r;

    if (!arch->models)
        return 0;
    r = arch->models(ctx, doc, file, &mr);
    for (size_t i = 0; i < mr.n && r == 0; i++)
        if (mr.items[i].usable)
            cc_strlist_add(usable, mr.items[i].name);
    if (keep && r == 0)
        *keep = mr;
    else
        cc_models_report_free(&mr);
    return r;
}

/* A class's usable models: those usable on each of its representatives here. */
static int class_usable(struct cc_ctx *ctx, const struct cc_inventory *inv,
                        const struct cc_inv_group *grp, struct cc_inv_gclass *gc,
                        struct cc_models_report *catalog)
{
    const struct cc_inv_class *cls = &inv->classes[gc->cls];
    int r = 0;

    /* The inventory has the models usable on all of the class's representatives already. */
    if (gc->n_reps == cls->n_reps && !catalog) {
        for (size_t i = 0; i < cls->models.n; i++)
            cc_strlist_add(&gc->usable, cls->models.items[i]);
        return 0;
    }
    for (size_t j = 0; j < gc->n_reps && r == 0; j++) {
        struct cc_strlist mine = {0};
        const char *file = gc->files[j];

        r = usable_models(ctx, grp->arch, gc->reps[j]->doc, file, j ? &mine : &gc->usable,
                          catalog && j == 0 ? catalog : NULL);
        if (j && r == 0) {
            struct cc_strlist both = {0};

            for (size_t i = 0; i < gc->usable.n; i++)
                if (cc_strlist_contains(&mine, gc->usable.items[i]))
                    cc_strlist_add(&both, gc->usable.items[i]);
            cc_strlist_free(&gc->usable);
            gc->usable = both;
        }
        cc_strlist_free(&mine);
    }
    return r;
}

/* The models usable on every class but skip (in the catalog's order), and per family the newest
 * of them, as the inventory's classes pick theirs. */
static void common_models(const struct cc_inv_group *grp, const struct cc_models_report *catalog,
                          size_t skip, struct cc_strlist *models, struct cc_strlist *best)
{
    bool *ok = xcalloc(catalog->n + 1, sizeof(bool));

    for (size_t i = 0; i < catalog->n; i++) {
        ok[i] = true;
        for (size_t k = 0; k < grp->n_classes && ok[i]; k++)
            ok[i] =
                k == skip || cc_strlist_contains(&grp->classes[k].usable, catalog->items[i].name);
        if (ok[i])
            cc_strlist_add(models, catalog->items[i].name);
    }
    for (size_t i = 0; i < catalog->n; i++) {
        const struct cc_model_status *m = &catalog->items[i], *top = m;

        if (m->deprecated || !ok[i])
            continue;
        for (size_t j = 0; j < catalog->n; j++) {
            const struct cc_model_status *o = &catalog->items[j];

            if (ok[j] && !o->deprecated && m->family && o->family &&
                !strcmp(o->family, m->family) && o->version > top->version)
                top = o;
        }
        if (top == m)
            cc_strlist_add(best, m->name);
    }
    free(ok);
}

static void lost_value(struct cc_strlist *other, const char *what, const char *hi, const char *lo)
{
    if ((hi || lo) && (!hi || !lo || strcmp(hi, lo) != 0))
        cc_strlist_addf(other, "%s: %s -> %s", what, hi ? hi : "none", lo ? lo : "none");
}

/* What baseline lo lacks against hi: its features, the best models of hi that lo's models do
 * not hold, and the named model, psABI level and QEMU properties that differ. Registers (arm64)
 * are weighed through the features named from them: their raw values also carry identity (MIDR)
 * that follows whichever host comes first, which is no loss. */
static void loss_between(const struct cc_baseline *hi, const struct cc_strlist *hi_best,
                         const struct cc_baseline *lo, const struct cc_strlist *lo_models,
                         struct cc_inv_loss *out)
{
    for (size_t i = 0; i < hi->features.n; i++)
        if (!cc_strlist_contains(&lo->features, hi->features.items[i]))
            cc_strlist_add(&out->features, hi->features.items[i]);
    for (size_t i = 0; i < hi_best->n; i++)
        if (!cc_strlist_contains(lo_models, hi_best->items[i]))
            cc_strlist_add(&out->models, hi_best->items[i]);
    lost_value(&out->other, "model", hi->model, lo->model);
    lost_value(&out->other, "level", hi->level, lo->level);
    /* A property named in either: absent means the named models' default. */
    for (size_t i = 0; i < hi->props.n; i++)
        lost_value(&out->other, hi->props.items[i].key, hi->props.items[i].value,
                   cc_kv_get(&lo->props, hi->props.items[i].key) ?: "default");
    for (size_t i = 0; i < lo->props.n; i++)
        if (!cc_kv_get(&hi->props, lo->props.items[i].key))
            lost_value(&out->other, lo->props.items[i].key, "default", lo->props.items[i].value);
}

static void loss_free(struct cc_inv_loss *l)
{
    cc_strlist_free(&l->features);
    cc_strlist_free(&l->models);
    cc_strlist_free(&l->other);
}

static bool loss_empty(const struct cc_inv_loss *l)
{
    return !l->features.n && !l->models.n && !l->other.n;
}

/* Baseline, models and holdbacks of one group entry. */
static int judge_group(struct cc_ctx *ctx, const struct cc_inventory *inv, struct cc_inv_group *grp)
{
    struct cc_models_report catalog = {0};
    int r = 0;

    if (!grp->arch)
        return 0;
    for (size_t k = 0; k < grp->n_classes; k++)
        pick_reps(&grp->classes[k], inv);
    cc_error_clear();
    if (group_baseline(ctx, grp, SIZE_MAX, NULL, NULL, &grp->baseline) < 0) {
        /* Vendors that differ have no common CPU: the group says so and the inventory goes on. */
        grp->error = xstrdup(cc_error_message());
        return 0;
    }
    grp->have_baseline = true;
    for (size_t i = 0; i < grp->baseline.notes.n; i++)
        cc_strlist_add(&grp->notes, grp->baseline.notes.items[i]);
    /* One judged representative per class: a fleet without recorded QEMU releases would
     * repeat the same note once per class. */
    cc_qemu_default_notes_merge(&grp->notes);
    for (size_t k = 0; k < grp->n_classes && r == 0; k++)
        r = class_usable(ctx, inv, grp, &grp->classes[k], k == 0 ? &catalog : NULL);
    if (r == 0)
        common_models(grp, &catalog, SIZE_MAX, &grp->models, &grp->best);
    /* Leaving out one class at a time: what its hosts alone cost the others. */
    for (size_t k = 0; k < grp->n_classes && grp->n_classes > 1 && r == 0; k++) {
        struct cc_baseline without = {0};
        struct cc_strlist models = {0}, best = {0};

        r = group_baseline(ctx, grp, k, NULL, NULL, &without);
        if (r == 0) {
            common_models(grp, &catalog, k, &models, &best);
            loss_between(&without, &best, &grp->baseline, &grp->models,
                         &grp->classes[k].holds_back);
        }
        cc_baseline_free(&without);
        cc_strlist_free(&models);
        cc_strlist_free(&best);
    }
    cc_models_report_free(&catalog);
    return r;
}

int cc_inv_groups_build(struct cc_ctx *ctx, const struct cc_inventory *inv, struct cc_inv_groups *g)
{
    int r = 0;

    size_t *in = xcalloc(inv->n_hosts + 1, sizeof(*in)), n;

    for (size_t i = 0; i < g->n_specs; i++) {
        n = 0;
        for (size_t h = 0; h < inv->n_hosts; h++)
            if (inv->hosts[h].superseded_by == SIZE_MAX &&
                host_matches(&inv->hosts[h], g->globs[i]))
                in[n++] = h;
        gather(g, inv, g->names[i], g->globs[i], in, n);
    }
    if (g->by_dir) {
        /* Sorted once by directory: the groups are the runs, whatever the fleet's size. */
        struct dir_host *dh = xcalloc(inv->n_hosts + 1, sizeof(*dh));
        size_t m = 0;

        for (size_t h = 0; h < inv->n_hosts; h++)
            if (inv->hosts[h].superseded_by == SIZE_MAX)
                dh[m++] = (struct dir_host){.dir = dir_of(inv->hosts[h].file), .host = h};
        if (m)
            qsort(dh, m, sizeof(*dh), cmp_dir_host);
        for (size_t i = 0; i < m && r == 0; i += n) {
            for (n = 0; i + n < m && !strcmp(dh[i + n].dir, dh[i].dir); n++)
                in[n] = dh[i + n].host;
            for (size_t s = 0; s < g->n_specs && r == 0; s++)
                if (!strcmp(g->names[s], dh[i].dir))
                    r = cc_error(EINVAL,
                                 "--group '%s' and --group-by-dir give two groups of one name",
                                 dh[i].dir);
            if (r == 0)
                gather(g, inv, dh[i].dir, NULL, in, n);
        }
        for (size_t i = 0; i < m; i++)
            free(dh[i].dir);
        free(dh);
    }
    free(in);
    for (size_t i = 0; i < g->n && r == 0; i++)
        r = judge_group(ctx, inv, &g->items[i]);
    return r;
}

/* The longest group name that arg starts with, followed by ':'. */
static const char *admit_group(const struct cc_inv_groups *g, const char *arg)
{
    const char *best = NULL;

    for (size_t i = 0; i < g->n; i++) {
        size_t len = strlen(g->items[i].name);

        if (!strncmp(arg, g->items[i].name, len) && arg[len] == ':' &&
            (!best || len > strlen(best)))
            best = g->items[i].name;
    }
    return best;
}

const char *cc_inv_groups_admit_file(const struct cc_inv_groups *g, const char *arg)
{
    const char *name = admit_group(g, arg);

    return name ? arg + strlen(name) + 1 : arg;
}

static bool same_class(const struct cc_inventory *inv, const struct cc_inv_group *grp,
                       const char *id)
{
    for (size_t k = 0; k < grp->n_classes; k++)
        if (!strcmp(inv->classes[grp->classes[k].cls].id, id))
            return true;
    return false;
}

static int admit_into(struct cc_ctx *ctx, const struct cc_inventory *inv,
                      const struct cc_inv_group *grp, const struct cc_doc *doc, const char *file,
                      struct cc_inv_admit *a)
{
    struct cc_baseline with = {0};
    struct cc_strlist usable = {0}, models = {0};
    char id[CC_FINGERPRINT_LEN];
    int r;

    if (grp->error)
        return cc_error(EINVAL, "group '%s' has no baseline to keep: %s", grp->name, grp->error);
    cc_error_clear();
    if (group_baseline(ctx, grp, SIZE_MAX, doc, file, &with) < 0) {
        struct cc_baseline alone = {0};
        char *why = xstrdup(cc_error_message());

        cc_baseline_free(&with);
        /* A file no baseline takes is an error; hosts that have no common CPU are an answer. */
        r = grp->arch->baseline(ctx, &doc, &file, 1, false, &alone);
        cc_baseline_free(&alone);
        if (r == 0)
            a->reason = why;
        else
            free(why);
        return r;
    }
    r = usable_models(ctx, grp->arch, doc, file, &usable, NULL);
    for (size_t i = 0; i < grp->models.n && r == 0; i++)
        if (cc_strlist_contains(&usable, grp->models.items[i]))
            cc_strlist_add(&models, grp->models.items[i]);
    if (r == 0) {
        loss_between(&grp->baseline, &grp->best, &with, &models, &a->lost);
        a->admitted = loss_empty(&a->lost);
    }
    if (r == 0 && grp->arch->canonical && cc_fingerprint(ctx, doc, file, id, NULL) == 0 &&
        same_class(inv, grp, id))
        memcpy(a->cls, id, sizeof(id));
    cc_baseline_free(&with);
    cc_strlist_free(&usable);
    cc_strlist_free(&models);
    return r;
}

int cc_inv_groups_admit(struct cc_ctx *ctx, const struct cc_inventory *inv, struct cc_inv_groups *g,
                        const char *arg, const struct cc_doc *doc, const char *file)
{
    const char *name = admit_group(g, arg);
    const struct cc_inv_group *grp = NULL, *any = NULL;
    struct cc_inv_admit *a;

    if (!name) {
        for (size_t i = 0; i < g->n; i++)
            if (!name || strcmp(name, g->items[i].name) != 0) {
                if (name)
                    return cc_error(EINVAL,
                                    "--admit %s: there are several groups: name one as "
                                    "--admit NAME:FILE",
                                    arg);
                name = g->items[i].name;
            }
        if (!name)
            return cc_error(EINVAL, "--admit needs a group (--group NAME=GLOB or --group-by-dir)");
    }
    for (size_t i = 0; i < g->n; i++)
        if (!strcmp(g->items[i].name, name)) {
            any = any ? any : &g->items[i];
            if (g->items[i].arch == doc->arch)
                grp = &g->items[i];
        }
    if (!any->arch)
        return cc_error(EINVAL, "--admit: group '%s' has no host to compare with", name);
    a = g->admit = xcalloc(1, sizeof(*g->admit));
    a->group = xstrdup(name);
    a->file = xstrdup(file);
    if (grp) {
        a->arch = grp->arch;
        return admit_into(ctx, inv, grp, doc, file, a);
    }
    /* No guest of the group could ever run on it: a refusal, not a loss to weigh. */
    a->arch = any->arch;
    a->reason = xasprintf("%s is %s, the group's hosts are %s: no guest moves between them", file,
                          doc->arch->name, any->arch->name);
    return 0;
}

void cc_inv_groups_free(struct cc_inv_groups *g)
{
    for (size_t i = 0; i < g->n_specs; i++) {
        free(g->names[i]);
        free(g->globs[i]);
    }
    free(g->names);
    free(g->globs);
    for (size_t i = 0; i < g->n; i++) {
        struct cc_inv_group *grp = &g->items[i];

        for (size_t k = 0; k < grp->n_classes; k++) {
            free(grp->classes[k].hosts);
            free(grp->classes[k].reps);
            free(grp->classes[k].files);
            cc_strlist_free(&grp->classes[k].usable);
            loss_free(&grp->classes[k].holds_back);
        }
        free(grp->classes);
        free(grp->name);
        free(grp->error);
        cc_baseline_free(&grp->baseline);
        cc_strlist_free(&grp->models);
        cc_strlist_free(&grp->best);
        cc_strlist_free(&grp->notes);
    }
    free(g->items);
    if (g->admit) {
        free(g->admit->group);
        free(g->admit->file);
        free(g->admit->reason);
        loss_free(&g->admit->lost);
        free(g->admit);
    }
    *g = (struct cc_inv_groups){0};
}
