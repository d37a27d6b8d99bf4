/* Hostile-input-safe XML loading: bounded size, no network, no DTD, no DOCTYPE at all. */
#ifndef CC_XML_LOAD_H
#define CC_XML_LOAD_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Capability files of real hosts are tens of KiB; anything near this is not one of ours. */
#define CC_XML_MAX_BYTES (16u * 1024 * 1024)

/* Reads a whole file ("-" is standard input) of at most max bytes into a NUL-terminated buffer.
 * Errors name the file: missing, unreadable, a directory, empty, too large. */
int cc_read_file(const char *path, size_t max, char **data, size_t *len);

/* Parses path as XML under the rules above; errors are "PATH: problem". */
int cc_xml_load(const char *path, xmlDocPtr *out);
int cc_xml_parse(const char *path, const char *data, size_t len, xmlDocPtr *out);
/* Releases the parser state kept between documents (at exit). */
void cc_xml_cleanup(void);

/* The text of a rows element (<cpuid>, <msr>, <regs>): anything else inside it (a comment, a
 * processing instruction) is refused rather than letting the rows after it go unread. */
int cc_xml_rows_text(const char *file, xmlNodePtr node, const char **out);

/* Tree walking: whether n is the element name, its first child element name (NULL when parent
 * is NULL or has none), and the text of an element that holds only text (NULL otherwise). */
bool cc_xml_is(xmlNodePtr n, const char *name);
xmlNodePtr cc_xml_child(xmlNodePtr parent, const char *name);
const char *cc_xml_text(xmlNodePtr n);

/* Attribute helpers over trusted-by-schema nodes. Return NULL/-EINVAL when absent or bad. */
const char *cc_xml_attr(xmlNodePtr node, const char *name);
int cc_xml_attr_u64(const char *file, xmlNodePtr node, const char *name, unsigned long long max,
                    unsigned long long *out);

/* Streams a trusted data table without building a tree (the catalogs are read by every run).
 * start gets NULL-terminated name/value pairs; end gets the element's text. A callback
 * returning a negative errno stops the parse with its message (which names the file). */
struct cc_xml_sax {
    int (*start)(void *user, const char *name, const char *const *attrs, int line);
    int (*end)(void *user, const char *name, const char *text);
};

int cc_xml_sax_file(const char *path, const struct cc_xml_sax *handler, void *user);
const char *cc_xml_pair(const char *const *pairs, const char *name);
/* The attribute name of a streamed element as a number (cc_parse_number, at most max); errors
 * are "FILE: line N: lacks 'NAME'" and "FILE: line N: NAME='TEXT' is not a number up to MAX". */
int cc_xml_pair_u64(const char *file, int line, const char *const *pairs, const char *name,
                    uint64_t max, uint64_t *out);

static inline void cc_xml_freedocp(xmlDocPtr *d)
{
    if (*d)
        xmlFreeDoc(*d);
}
#define _cleanup_xmldoc_ __attribute__((cleanup(cc_xml_freedocp)))

/* A string's length as XML Schema counts it, in characters: the UTF-8 bytes that start one. */
uint64_t cc_xml_length(const char *s);

#endif
