/* Where a guest can go: per class, compare's answer for the guest CPU of a host file or for a
 * guest definition (compare --guest's libvirt domain or <cpu>) against the class's
 * representative, or for a named model whether every representative runs it. */
#include "inventory.h"
#include "arch.h"
#include "capdoc_io.h"
#include "cleanup.h"
#include "error.h"
#include "libvirt_cpu.h"
#include "xalloc.h"
#include "xml_load.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int cc_inventory_guest_read(struct cc_ctx *ctx, const char *path, struct cc_doc **doc,
                            char **def_file, int *def_fd)
{
    _cleanup_free_ char *data = NULL;
    _cleanup_xmldoc_ xmlDocPtr xdoc = NULL;
    xmlNodePtr root;
    size_t len, done = 0;
    int r;

    *doc = NULL;
    *def_file = NULL;
    *def_fd = -1;
    /* Read once: standard input cannot be read again by each class's compare. */
    if ((r = cc_read_file(path, CC_XML_MAX_BYTES, &data, &len)) < 0 ||
        (r = cc_xml_parse(path, data, len, &xdoc)) < 0)
        return r;
    root = xmlDocGetRootElement(xdoc);
    if (root && xmlStrcmp(root->name, BAD_CAST "capabilities") == 0)
        return cc_doc_parse(ctx, path, data, len, doc);
    if (strcmp(path, "-") != 0) {
        *def_file = xstrdup(path);
        return 0;
    }
    /* A definition on standard input: kept in a memory file that each compare opens afresh. */
    if ((*def_fd = memfd_create("cpucompat-guest", MFD_CLOEXEC)) < 0)
        return cc_error(errno, "-: cannot keep the guest definition: %s", strerror(errno));
    while (done < len) {
        ssize_t n = write(*def_fd, data + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return cc_error(n < 0 ? errno : EIO, "-: cannot keep the guest definition: %s",
                            strerror(n < 0 ? errno : EIO));
        done += (size_t)n;
    }
    if (asprintf(def_file, "/proc/self/fd/%d", *def_fd) < 0)
        return *def_file = NULL, cc_error(ENOMEM, "out of memory");
    return 0;
}

static bool names_model(const struct cc_model_status *m, const char *model)
{
    return strcmp(m->name, model) == 0 || cc_strlist_contains(&m->aliases, model);
}

static int runs_model(struct cc_ctx *ctx, const struct cc_inventory *inv,
                      const struct cc_inv_class *cls, const char *model, bool *yes, bool *known)
{
    int r = 0;

    *yes = cls->arch->models != NULL;
    for (size_t k = 0; k < cls->n_reps && r == 0 && *yes; k++) {
        struct cc_models_report mr = {0};
        bool found = false;

        r = cls->arch->models(ctx, cls->reps[k].doc, inv->hosts[cls->reps[k].host].file, &mr);
        for (size_t i = 0; i < mr.n && r == 0; i++)
            if (names_model(&mr.items[i], model)) {
                found = true;
                *yes = *yes && mr.items[i].usable;
            }
        *known |= found;
        *yes = *yes && found;
        cc_models_report_free(&mr);
    }
    return r;
}

/* A -cpu string (MODEL,TOKEN...): the architecture's compare --model STRING FILE on every
 * representative. A class whose architecture cannot read it (another architecture's model, a
 * feature it does not name) does not take the guest; the first such error is kept for when no
 * class reads it at all: why[0] from a class that knows the model (it says what is wrong with the
 * string), why[1] from one that does not (another architecture's model), why[2] from one that
 * reads no strings (arm64 answers with one file for no guest). */
static int runs_string(struct cc_ctx *ctx, const struct cc_inventory *inv,
                       const struct cc_inv_class *cls, const char *spec, bool *yes, bool *known,
                       char *why[3])
{
    struct cc_options none = {0};
    struct cc_compare_opts opts = {.model = spec, .options = &none, .verdict_only = true};

    *yes = cls->arch->compare != NULL;
    for (size_t k = 0; k < cls->n_reps && *yes; k++) {
        struct cc_verdict v = {0};

        int r;

        cc_error_clear();
        r = cls->arch->compare(ctx, NULL, NULL, cls->reps[k].doc,
                               inv->hosts[cls->reps[k].host].file, &opts, &v);
        if (r < 0) {
            char **slot = &why[r == -ENOTSUP ? 2 : r == -ENOENT ? 1 : 0];

            if (!*slot)
                *slot = xstrdup(cc_error_message());
            *yes = false;
        } else {
            *known = true;
            *yes = v.migratable;
        }
        cc_verdict_free(&v);
    }
    return 0;
}

int cc_inventory_guest(struct cc_ctx *ctx, struct cc_inventory *inv, const struct cc_doc *guest_doc,
                       const char *guest_file, const char *def_file, const char *model,
                       size_t *n_hosts)
{
    struct cc_options none = {0};
    struct cc_compare_opts opts = {.options = &none};
    bool known = false, string = model && strchr(model, ',');
    char *why[3] = {NULL, NULL, NULL};
    const struct cc_arch_ops *def_arch = NULL;
    int r = 0;

    /* The architecture the domain names (<os><type arch=...>), where it names one; a file that
     * cannot be read says why in the first class's compare_guest. */
    if (def_file) {
        struct cc_lv_cpu lv;

        if (cc_lv_cpu_read(def_file, &lv) == 0 && lv.os_arch)
            def_arch = cc_arch_find(lv.os_arch);
        cc_lv_cpu_free(&lv);
        cc_error_clear();
    }
    inv->guest = xstrdup(model ? model : guest_file);
    inv->accepts = xcalloc(inv->n_classes + 1, sizeof(bool));
    *n_hosts = 0;
    for (size_t c = 0; c < inv->n_classes && r == 0; c++) {
        const struct cc_inv_class *cls = &inv->classes[c];
        struct cc_verdict v = {0};

        if (string) {
            r = runs_string(ctx, inv, cls, model, &inv->accepts[c], &known, why);
        } else if (model) {
            r = runs_model(ctx, inv, cls, model, &inv->accepts[c], &known);
        } else if (def_file) {
            /* compare --guest DEF HOST per class; an architecture that reads no definitions
             * takes none (compare refuses it there), nor one a domain of another architecture
             * defines. A bare <cpu> names no architecture: a class that does not know its
             * model or features (another architecture's) takes none, unless no class does. */
            if (cls->arch->compare_guest && (!def_arch || def_arch == cls->arch)) {
                r = cls->arch->compare_guest(ctx, NULL, NULL, cls->reps[0].doc,
                                             inv->hosts[cls->reps[0].host].file, def_file, &opts,
                                             &v);
                inv->accepts[c] = r == 0 && v.migratable;
                known |= r == 0;
                if (r == -ENOENT && !def_arch) {
                    if (!why[1])
                        why[1] = xstrdup(cc_error_message());
                    cc_error_clear();
                    r = 0;
                }
                cc_verdict_free(&v);
            }
        } else if (guest_doc->arch == cls->arch && cls->arch->compare) {
            r = cls->arch->compare(ctx, guest_doc, guest_file, cls->reps[0].doc,
                                   inv->hosts[cls->reps[0].host].file, &opts, &v);
            inv->accepts[c] = r == 0 && v.migratable;
            cc_verdict_free(&v);
        }
        if (r == 0 && inv->accepts[c])
            *n_hosts += cls->n_hosts;
    }
    if (r == 0 && string && !known && inv->n_classes)
        r = cc_error(EINVAL, "--model '%s': no class reads it: %s", model,
                     why[0]   ? why[0]
                     : why[1] ? why[1]
                     : why[2] ? why[2]
                              : "?");
    else if (r == 0 && def_file && !known && why[1])
        r = cc_error(ENOENT, "%s", why[1]);
    else if (r == 0 && model && !known && inv->n_classes)
        r = cc_error(ENOENT, "unknown CPU model '%s' for every class (see 'cpucompat models')",
                     model);
    for (size_t i = 0; i < 3; i++)
        free(why[i]);
    return r;
}
