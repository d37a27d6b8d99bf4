#include "xml_load.h"
#include "cleanup.h"
#include "error.h"

#include <fcntl.h>
#include <libxml/parser.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cc_read_file(const char *path, size_t max, char **data, size_t *len)
{
    _cleanup_close_ int fd = -1;
    _cleanup_free_ char *buf = NULL;
    size_t used = 0, cap;
    struct stat st;

    if (strcmp(path, "-") == 0) {
        fd = dup(STDIN_FILENO);
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    }
    if (fd < 0)
        return cc_error(errno, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &st) < 0)
        return cc_error(errno, "%s: cannot stat: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return cc_error(EISDIR, "%s: is a directory, not a file", path);
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max)
        return cc_error(EFBIG, "%s: file is %lld bytes, larger than the %zu-byte limit", path,
                        (long long)st.st_size, max);
    /* O_NONBLOCK only kept open() from hanging on something that is not a file. A FIFO is
     * opened again, blocking, so that it waits for its writer instead of reading as empty. */
    if (S_ISFIFO(st.st_mode) && strcmp(path, "-") != 0) {
        close(fd);
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
            return cc_error(errno, "%s: cannot open: %s", path, strerror(errno));
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);

    cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
    buf = malloc(cap + 1);
    if (!buf)
        return cc_error(ENOMEM, "out of memory");
    for (;;) {
        ssize_t n;

        if (used == cap) {
            char *p;

            if (cap > max)
                break;
            cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            p = realloc(buf, cap + 1);
            if (!p)
                return cc_error(ENOMEM, "out of memory");
            buf = p;
        }
        n = read(fd, buf + used, cap - used);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return cc_error(errno, "%s: cannot read: %s", path, strerror(errno));
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    if (used > max)
        return cc_error(EFBIG, "%s: larger than the %zu-byte limit", path, max);
    if (used == 0)
        return cc_error(ENODATA, "%s: file is empty", path);
    buf[used] = '\0';
    *data = cc_steal(&buf);
    *len = used;
    return 0;
}

/* Finds a DOCTYPE in the prolog: the only place XML allows one. Internal subsets are where
 * entity-expansion attacks live, and nothing we read has a use for a DTD. */
static bool prolog_has_doctype(const char *p, const char *end)
{
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
            p++;
        } else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *e = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
            if (!e)
                return false; /* malformed: the parser will say so */
            p = e + 3;
        } else if (end - p >= 2 && memcmp(p, "<?", 2) == 0) {
            const char *e = memmem(p + 2, (size_t)(end - p - 2), "?>", 2);
            if (!e)
                return false;
            p = e + 2;
        } else {
            return end - p >= 9 && strncasecmp(p, "<!DOCTYPE", 9) == 0;
        }
    }
    return false;
}

struct parse_error {
    char text[512];
};

static void record_error(void *user, xmlErrorPtr err)
{
    struct parse_error *pe = user;

    if (pe->text[0] || !err || err->level < XML_ERR_ERROR)
        return;
    snprintf(pe->text, sizeof(pe->text), "line %d: %s", err->line,
             err->message ? err->message : "parse error");
    for (size_t n = strlen(pe->text); n && (pe->text[n - 1] == '\n' || pe->text[n - 1] == ' ');)
        pe->text[--n] = '\0';
}

/* One parser context, reset between documents: creating one per file was a fifth of the cost
 * of reading a thousand small files. Freed by cc_xml_cleanup(). */
static xmlParserCtxtPtr shared_parser;

void cc_xml_cleanup(void)
{
    if (shared_parser)
        xmlFreeParserCtxt(shared_parser);
    shared_parser = NULL;
}

int cc_xml_parse(const char *path, const char *data, size_t len, xmlDocPtr *out)
{
    struct parse_error pe = {{0}};
    xmlParserCtxtPtr pctx;
    xmlDocPtr doc;

    if (len > INT_MAX)
        return cc_error(EFBIG, "%s: too large", path);
    if (prolog_has_doctype(data, data + len))
        return cc_error(EINVAL, "%s: DOCTYPE declarations are not accepted", path);
    if (!shared_parser && !(shared_parser = xmlNewParserCtxt()))
        return cc_error(ENOMEM, "out of memory");
    pctx = shared_parser;
    /* libxml2 2.9 has no per-context handler; the global one is restored right after. */
    xmlSetStructuredErrorFunc(&pe, record_error);
    doc = xmlCtxtReadMemory(pctx, data, (int)len, NULL, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (!doc || pe.text[0]) {
        if (doc)
            xmlFreeDoc(doc);
        return cc_error(EINVAL, "%s: not well-formed XML (%s)", path,
                        pe.text[0] ? pe.text : "parse failed");
    }
    if (doc->intSubset || doc->extSubset) {
        xmlFreeDoc(doc);
        return cc_error(EINVAL, "%s: DOCTYPE declarations are not accepted", path);
    }
    *out = doc;
    return 0;
}

int cc_xml_load(const char *path, xmlDocPtr *out)
{
    _cleanup_free_ char *data = NULL;
    size_t len;
    int r = cc_read_file(path, CC_XML_MAX_BYTES, &data, &len);

    if (r < 0)
        return r;
    return cc_xml_parse(path, data, len, out);
}

const char *cc_xml_attr(xmlNodePtr node, const char *name)
{
    xmlAttrPtr a = xmlHasProp(node, (const xmlChar *)name);

    if (!a || !a->children || a->children->type != XML_TEXT_NODE)
        return a ? "" : NULL;
    return (const char *)a->children->content;
}

int cc_xml_attr_u64(const char *file, xmlNodePtr node, const char *name, unsigned long long max,
                    unsigned long long *out)
{
    const char *s = cc_xml_attr(node, name);
    char *end;
    unsigned long long v;

    if (!s)
        return cc_error(EINVAL, "%s: line %ld: <%s> lacks attribute '%s'", file, xmlGetLineNo(node),
                        (const char *)node->name, name);
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || end == s || *end || *s == '-' || v > max)
        return cc_error(EINVAL, "%s: line %ld: <%s %s='%s'>: not a number up to %#llx", file,
                        xmlGetLineNo(node), (const char *)node->name, name, s, max);
    *out = v;
    return 0;
}
