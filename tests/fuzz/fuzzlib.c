/* Shared set-up of the harnesses (see fuzzlib.h). */
#include "fuzzlib.h"
#include "../../core/capdoc_io.h"
#include "../../core/error.h"
#include "../../core/json_read.h"
#include "../../core/report.h"
#include "../../core/xml_load.h"

#include <libxml/xmlerror.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef FUZZ_TOP
#define FUZZ_TOP "."
#endif

static struct cc_ctx ctx;
static bool ctx_ready;
static int memfd = -1;
static char memfd_path[64];

static const char *top(void)
{
    const char *t = getenv("CPUCOMPAT_TOP");

    return t && *t ? t : FUZZ_TOP;
}

void fuzz_violation(const char *fmt, ...)
{
    va_list ap;

    fputs("fuzz: violated: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

struct cc_ctx *fuzz_begin(void)
{
    if (!ctx_ready) {
        char *datadir = NULL;

        if (!getenv("CPUCOMPAT_DATADIR") && asprintf(&datadir, "%s/data", top()) < 0)
            abort();
        if (cc_ctx_init(&ctx, datadir) < 0)
            fuzz_violation("no data dir: %s", cc_error_message());
        free(datadir);
        ctx_ready = true;
    }
    cc_error_clear();
    xmlResetLastError();
    return &ctx;
}

const char *fuzz_file(const uint8_t *data, size_t size)
{
    if (memfd < 0) {
        if ((memfd = memfd_create("fuzz-input", MFD_CLOEXEC)) < 0)
            fuzz_violation("memfd_create: %m");
        snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
    }
    if (ftruncate(memfd, 0) < 0)
        fuzz_violation("ftruncate: %m");
    for (size_t done = 0; done < size;) {
        ssize_t w = pwrite(memfd, data + done, size - done, (off_t)done);

        if (w <= 0)
            fuzz_violation("pwrite: %m");
        done += (size_t)w;
    }
    return memfd_path;
}

struct cc_doc *fuzz_tree_doc(const char *rel)
{
    struct cc_ctx *c = fuzz_begin();
    struct cc_doc *doc = NULL;
    char *path = NULL;

    if (asprintf(&path, "%s/%s", top(), rel) < 0)
        abort();
    if (cc_doc_read(c, path, &doc) < 0)
        fuzz_violation("%s", cc_error_message());
    free(path);
    return doc;
}

static const struct cc_import_format *find_format(const char *name, const struct cc_arch_ops **arch)
{
    for (size_t i = 0; cc_arch_table[i]; i++)
        for (size_t j = 0; j < cc_arch_table[i]->n_imports; j++)
            if (strcmp(cc_arch_table[i]->imports[j].name, name) == 0) {
                *arch = cc_arch_table[i];
                return &cc_arch_table[i]->imports[j];
            }
    fuzz_violation("no import format %s in this build", name);
}

struct cc_doc *fuzz_tree_import(const char *format, const char *rel)
{
    struct cc_ctx *c = fuzz_begin();
    const struct cc_arch_ops *arch;
    const struct cc_import_format *fmt = find_format(format, &arch);
    struct cc_doc *doc = cc_doc_new(arch);
    char *path = NULL;

    if (asprintf(&path, "%s/%s", top(), rel) < 0)
        abort();
    if (fmt->import(c, path, doc) < 0)
        fuzz_violation("%s", cc_error_message());
    free(path);
    return doc;
}

int fuzz_import(const char *format, const uint8_t *data, size_t size)
{
    struct cc_ctx *c = fuzz_begin();
    const struct cc_arch_ops *arch;
    const struct cc_import_format *fmt = find_format(format, &arch);
    struct cc_doc *doc = cc_doc_new(arch), *back = NULL;
    char *xml = NULL, *again = NULL;
    size_t len = 0, len2 = 0;
    int r;

    if ((r = fmt->import(c, fuzz_file(data, size), doc)) < 0 ||
        (r = cc_doc_to_xml(c, doc, &xml, &len)) < 0)
        goto out;
    /* What an import wrote, the reader takes, and it comes out the same written again. */
    if (cc_doc_parse(c, "written", xml, len, &back) < 0)
        fuzz_violation("%s wrote a file the reader refuses: %s", format, cc_error_message());
    if (cc_doc_to_xml(c, back, &again, &len2) < 0)
        fuzz_violation("%s: a file read back does not write again: %s", format, cc_error_message());
    if (len2 != len || memcmp(xml, again, len) != 0)
        fuzz_violation("%s: a file read back writes different bytes", format);
out:
    free(again);
    free(xml);
    cc_doc_free(back);
    cc_doc_free(doc);
    return r;
}

void fuzz_report(struct cc_node *report)
{
    for (int f = 0; f < CC_FORMAT_COUNT; f++) {
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);

        if (!out)
            abort();
        /* Every report prints as text, JSON and XML; an export format (qemu, libvirt, labels)
         * may refuse a report it has no answer for, in one line, as the command does. */
        if (cc_report_write(report, (enum cc_format)f, out) < 0) {
            if (CC_FORMATS_ALL & (1u << f))
                fuzz_violation("a report does not print: %s", cc_error_message());
            if (!cc_error_message()[0] || strchr(cc_error_message(), '\n'))
                fuzz_violation("an export refuses without a one-line message");
            cc_error_clear();
        }
        if (fclose(out) != 0)
            abort();
        if (f == CC_FORMAT_JSON) {
            struct cc_jdocs docs = {0};

            if (cc_json_read("report", text, len, &docs) < 0)
                fuzz_violation("a JSON report the JSON reader refuses: %s", cc_error_message());
            cc_jdocs_free(&docs);
        } else if (f == CC_FORMAT_XML) {
            xmlDocPtr x = NULL;

            if (cc_xml_parse("report", text, len, &x) < 0)
                fuzz_violation("an XML report the XML reader refuses: %s", cc_error_message());
            xmlFreeDoc(x);
        }
        free(text);
    }
    cc_node_free(report);
}
