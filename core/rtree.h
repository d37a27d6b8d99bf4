/* The report tree: what a command answers, as typed data (objects, arrays, maps, strings,
 * numbers, booleans, null) with stable member names. Every command that reports fills one, and
 * every output format is a writer over it (rtree_json.c, rtree_xml.c, report_text.c), so a
 * member cannot exist in one format and not in another. Building never fails (xalloc).
 *
 * The mapping every writer keeps (documented in cpucompat(1), OUTPUT):
 *   JSON: objects and maps are objects, arrays are arrays; the root carries "format".
 *   XML:  the root is an element named by the report; an object's scalar members are attributes
 *         (booleans "yes"/"no", null left out); an object member is a child element of its
 *         name; an array member is a child element of its name holding one element per item,
 *         named by the array's item name (scalars as text, objects with their own members); a
 *         map member is a child element holding <ITEM name="KEY" value="VALUE"/> per entry.
 * A map is for keys that are data (register names, origin attributes); the documented member
 * lists stop at it. */
#ifndef CC_RTREE_H
#define CC_RTREE_H

#include "strlist.h"

#include <stdbool.h>
#include <stddef.h>

/* The version of the report members; a script checks it. Raise it when a member changes
 * meaning or goes away (adding one does not). */
#define CC_REPORT_FORMAT 1

enum cc_node_type {
    CC_NODE_NULL,
    CC_NODE_BOOL,
    CC_NODE_UINT,
    CC_NODE_STRING,
    CC_NODE_OBJECT,
    CC_NODE_ARRAY,
    CC_NODE_MAP, /* string values under keys that are data */
};

struct cc_node {
    enum cc_node_type type;
    bool b;
    bool s_owned; /* s is its own allocation (else it lives in the node's, after the key) */
    bool input;   /* a string copied from the input (a hostname, a file name), not words of ours */
    size_t n;     /* kids (allocated: 8, then the next power of two) */
    const char *key;  /* the member's name in its parent object or map; NULL in an array */
    const char *item; /* an array or map: what one item is called (XML element), e.g. "blocker" */
    union {
        unsigned long long u;
        char *s;
    };
    struct cc_node **kids; /* members of an object or map, items of an array, in order */
    /* The key lives in the node's own allocation: a fleet's report has a million members, and
     * the node is kept small (48 bytes) for the same reason. */
    char key_store[];
};

/* Replaces a string node's text. */
void cc_node_set_string(struct cc_node *n, const char *s);

/* A report named name (the XML root element, the text layout), with its "format" member. */
struct cc_node *cc_report_new(const char *name);
void cc_node_free(struct cc_node *n);

/* Members of an object (key) or items of an array (key NULL): each returns the new node. */
struct cc_node *cc_add_object(struct cc_node *parent, const char *key);
struct cc_node *cc_add_array(struct cc_node *parent, const char *key, const char *item);
struct cc_node *cc_add_map(struct cc_node *parent, const char *key, const char *item);
/* A NULL s is a null. */
void cc_add_string(struct cc_node *parent, const char *key, const char *s);
/* A string that is free text from the input: a writer for spreadsheets (CSV) keeps it from
 * reading as a formula. */
void cc_add_input_string(struct cc_node *parent, const char *key, const char *s);
void cc_add_stringf(struct cc_node *parent, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cc_add_uint(struct cc_node *parent, const char *key, unsigned long long v);
void cc_add_bool(struct cc_node *parent, const char *key, bool v);
/* An array of strings, one item per element of l. */
void cc_add_strlist(struct cc_node *parent, const char *key, const char *item,
                    const struct cc_strlist *l);
/* A map of strings, one entry per pair of l. */
void cc_add_kvlist(struct cc_node *parent, const char *key, const char *item,
                   const struct cc_kvlist *l);

/* Reading a tree (text layouts): the member key of an object, NULL if absent; the typed
 * shorthands give "", 0 or false for an absent or null member. */
const struct cc_node *cc_node_get(const struct cc_node *obj, const char *key);
const char *cc_node_str(const struct cc_node *obj, const char *key);
unsigned long long cc_node_uint(const struct cc_node *obj, const char *key);
bool cc_node_bool(const struct cc_node *obj, const char *key);
/* Items of an array member (0 and NULL when absent). */
size_t cc_node_count(const struct cc_node *obj, const char *key);
/* The report's name. */
const char *cc_report_name(const struct cc_node *report);

#endif
