#include "xml_load.h"
#include "cleanup.h"
#include "embedded.h"
#include "error.h"
#include "number.h"
#include "xalloc.h"

#include <fcntl.h>
#include <inttypes.h>
#include <libxml/SAX2.h>
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
    const struct cc_embedded_file *builtin = cc_embedded_lookup(path);

    if (builtin) {
        size_t n = (size_t)(builtin->end - builtin->start);

        if (n > max)
            return cc_error(EFBIG, "%s: larger than the %zu-byte limit", path, max);
        *data = xmalloc(n + 1);
        memcpy(*data, builtin->start, n + 1);
        *len = n;
        return 0;
    }
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
    if (cap > max + 1)
        cap = max + 1; /* the size check below refuses it without the memory */
    buf = xmalloc(cap + 1);
    for (;;) {
        ssize_t n;

        if (used == cap) {
            if (cap > max)
                break;
            cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            buf = xrealloc(buf, cap + 1);
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

/* Everything we read is UTF-8 (capability files are, by definition). Another encoding is refused
 * here rather than handed to libxml2's converters and DTD machinery. */
static int check_utf8(const char *path, const char *data, size_t len)
{
    static const struct {
        const char *bytes;
        size_t n;
        const char *name;
    } marks[] = {
        {"\x00\x00\xFE\xFF", 4, "UTF-32 (byte order mark)"},
        {"\xFF\xFE\x00\x00", 4, "UTF-32 (byte order mark)"},
        {"\xFE\xFF", 2, "UTF-16 (byte order mark)"},
        {"\xFF\xFE", 2, "UTF-16 (byte order mark)"},
        {"\x00\x00\x00\x3C", 4, "UTF-32"},
        {"\x3C\x00\x00\x00", 4, "UTF-32"},
        {"\x00\x3C\x00\x3F", 4, "UTF-16"},
        {"\x3C\x00\x3F\x00", 4, "UTF-16"},
        {"\x4C\x6F\xA7\x94", 4, "EBCDIC"},
    };
    const char *p = data, *end, *enc;

    for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
        if (len >= marks[i].n && memcmp(data, marks[i].bytes, marks[i].n) == 0)
            return cc_error(EINVAL, "%s: encoded as %s; the file must be UTF-8", path,
                            marks[i].name);
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    if ((size_t)(data + len - p) < 5 || memcmp(p, "<?xml", 5) != 0 ||
        !(end = memmem(p, (size_t)(data + len - p), "?>", 2)))
        return 0;
    enc = memmem(p, (size_t)(end - p), "encoding", 8);
    if (enc) {
        const char *v = enc + 8, *q;
        size_t n;

        v += strspn(v, " \t\r\n");
        if (*v == '=')
            v++;
        v += strspn(v, " \t\r\n");
        q = v < end && (*v == '"' || *v == '\'') ? memchr(v + 1, *v, (size_t)(end - v - 1)) : NULL;
        n = q ? (size_t)(q - v - 1) : 0;
        if (!q || !((n == 5 && strncasecmp(v + 1, "UTF-8", 5) == 0) ||
                    (n == 4 && strncasecmp(v + 1, "UTF8", 4) == 0)))
            return cc_error(EINVAL, "%s: declares encoding '%.*s'; the file must be UTF-8", path,
                            q ? (int)(n > 40 ? 40 : n) : 0, q ? v + 1 : "");
    }
    return 0;
}

struct parse_error {
    char text[512];
    bool no_memory; /* libxml2 ran out: not the file's fault, so not "not well-formed" */
};

static void record_error(void *user, xmlErrorPtr err)
{
    struct parse_error *pe = user;

    if (err && err->code == XML_ERR_NO_MEMORY)
        pe->no_memory = true;
    if (pe->text[0] || !err || err->level < XML_ERR_ERROR)
        return;
    snprintf(pe->text, sizeof(pe->text), "line %d: %s", err->line,
             err->message ? err->message : "parse error");
    cc_utf8_cut(pe->text);
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
    struct parse_error pe = {.no_memory = false};
    xmlParserCtxtPtr pctx;
    xmlDocPtr doc;

    if (len > INT_MAX)
        return cc_error(EFBIG, "%s: too large", path);
    if (check_utf8(path, data, len) < 0)
        return -EINVAL;
    if (prolog_has_doctype(data, data + len))
        return cc_error(EINVAL, "%s: DOCTYPE declarations are not accepted", path);
    if (!shared_parser && !(shared_parser = xmlNewParserCtxt()))
        return cc_error(ENOMEM, "out of memory");
    pctx = shared_parser;
    /* libxml2 2.9 has no per-context handler; the global one is restored right after. */
    xmlSetStructuredErrorFunc(&pe, record_error);
    doc = xmlCtxtReadMemory(pctx, data, (int)len, NULL, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (!doc || pe.text[0]) {
        if (doc)
            xmlFreeDoc(doc);
        if (pe.no_memory || pctx->errNo == XML_ERR_NO_MEMORY)
            return cc_error(ENOMEM, "%s: out of memory reading it", path);
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
    uint64_t v;

    if (!s)
        return cc_error(EINVAL, "%s: line %ld: <%s> lacks attribute '%s'", file, xmlGetLineNo(node),
                        (const char *)node->name, name);
    if (cc_parse_number(s, 0, max, &v) < 0)
        return cc_error(EINVAL, "%s: line %ld: <%s %s='%s'>: not a number up to %#llx", file,
                        xmlGetLineNo(node), (const char *)node->name, name, s, max);
    *out = v;
    return 0;
}

/* ---- streaming reads of the data tables ---- */

struct sax_state {
    const struct cc_xml_sax *handler;
    void *user;
    struct parse_error pe;
    int rc;
    char *text;
    size_t text_len, text_cap;
    bool collecting;
};

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                      const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                      int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr pctx = ctx;
    struct sax_state *st = pctx->_private;
    const char *pairs[2 * 32 + 1];
    char values[4096];
    size_t used = 0;
    int n = 0;

    (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
    if (st->rc < 0)
        return;
    /* SAX2 hands attribute values as (start, end) slices; make them strings. */
    for (int i = 0; i < nb_attributes && n < 32; i++) {
        const xmlChar **a = &attributes[5 * i];
        size_t len = (size_t)(a[4] - a[3]);

        if (used + len + 1 > sizeof(values)) {
            st->rc = cc_error(EINVAL, "line %d: attributes too long", xmlSAX2GetLineNumber(ctx));
            return;
        }
        memcpy(values + used, a[3], len);
        values[used + len] = '\0';
        pairs[2 * n] = (const char *)a[0];
        pairs[2 * n + 1] = values + used;
        used += len + 1;
        n++;
    }
    pairs[2 * n] = NULL;
    st->text_len = 0;
    st->collecting = true;
    if (st->handler->start)
        st->rc =
            st->handler->start(st->user, (const char *)localname, pairs, xmlSAX2GetLineNumber(ctx));
}

static void sax_characters(void *ctx, const xmlChar *ch, int len)
{
    struct sax_state *st = ((xmlParserCtxtPtr)ctx)->_private;

    if (st->rc < 0 || !st->collecting || !st->handler->end)
        return;
    if (st->text_len + (size_t)len + 1 > st->text_cap) {
        size_t cap = st->text_cap ? st->text_cap * 2 : 4096;

        while (cap < st->text_len + (size_t)len + 1)
            cap *= 2;
        st->text = xrealloc(st->text, cap);
        st->text_cap = cap;
    }
    memcpy(st->text + st->text_len, ch, (size_t)len);
    st->text_len += (size_t)len;
    st->text[st->text_len] = '\0';
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    struct sax_state *st = ((xmlParserCtxtPtr)ctx)->_private;

    (void)prefix, (void)uri;
    if (st->rc < 0 || !st->handler->end)
        return;
    st->rc = st->handler->end(st->user, (const char *)localname,
                              st->collecting && st->text ? st->text : "");
    st->collecting = false;
    st->text_len = 0;
    if (st->text)
        st->text[0] = '\0';
}

int cc_xml_sax_file(const char *path, const struct cc_xml_sax *handler, void *user)
{
    _cleanup_free_ char *data = NULL;
    struct sax_state st = {.handler = handler, .user = user};
    xmlSAXHandler sax;
    xmlParserCtxtPtr pctx;
    size_t len;
    int r = cc_read_file(path, CC_XML_MAX_BYTES, &data, &len);

    if (r < 0)
        return r;
    if (len > INT_MAX)
        return cc_error(EFBIG, "%s: too large", path);
    if (check_utf8(path, data, len) < 0)
        return -EINVAL;
    if (prolog_has_doctype(data, data + len))
        return cc_error(EINVAL, "%s: DOCTYPE declarations are not accepted", path);
    memset(&sax, 0, sizeof(sax));
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = sax_start;
    sax.endElementNs = sax_end;
    sax.characters = sax_characters;
    pctx = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, path);
    if (!pctx)
        return cc_error(ENOMEM, "out of memory");
    xmlCtxtUseOptions(pctx, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    pctx->_private = &st;
    /* serror gets the parser's user data; route it to our error record. */
    pctx->userData = pctx;
    xmlSetStructuredErrorFunc(&st.pe, record_error);
    if (xmlParseChunk(pctx, data, (int)len, 1) != 0 && !st.pe.text[0] && st.rc == 0)
        snprintf(st.pe.text, sizeof(st.pe.text), "parse failed");
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlFreeParserCtxt(pctx);
    free(st.text);
    if (st.rc < 0)
        return st.rc;
    if (st.pe.text[0])
        return cc_error(EINVAL, "%s: not well-formed XML (%s)", path, st.pe.text);
    return 0;
}

const char *cc_xml_pair(const char *const *pairs, const char *name)
{
    for (; pairs[0]; pairs += 2)
        if (strcmp(pairs[0], name) == 0)
            return pairs[1];
    return NULL;
}

int cc_xml_rows_text(const char *file, xmlNodePtr node, const char **out)
{
    *out = "";
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_TEXT_NODE || c != node->children)
            return cc_error(EINVAL, "%s: line %ld: <%s> may hold rows of text only", file,
                            xmlGetLineNo(c->type == XML_TEXT_NODE ? node : c),
                            (const char *)node->name);
        *out = (const char *)c->content;
    }
    return 0;
}

int cc_xml_pair_u64(const char *file, int line, const char *const *pairs, const char *name,
                    uint64_t max, uint64_t *out)
{
    const char *s = cc_xml_pair(pairs, name);

    if (!s)
        return cc_error(EINVAL, "%s: line %d: lacks '%s'", file, line, name);
    if (cc_parse_number(s, 0, max, out) < 0)
        return cc_error(EINVAL, "%s: line %d: %s='%.40s' is not a number up to %#" PRIx64, file,
                        line, name, s, max);
    return 0;
}

bool cc_xml_is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNodePtr cc_xml_child(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        if (cc_xml_is(c, name))
            return c;
    return NULL;
}

const char *cc_xml_text(xmlNodePtr n)
{
    if (!n || !n->children || n->children->next || n->children->type != XML_TEXT_NODE)
        return NULL;
    return (const char *)n->children->content;
}

uint64_t cc_xml_length(const char *s)
{
    uint64_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}
