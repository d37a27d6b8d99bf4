/* The generic writers of a report tree: JSON and XML (the mapping is in rtree.h). */
#include "rtree.h"
#include "error.h"
#include "json.h"
#include "report.h"
#include "xml_out.h"

#include <string.h>

#define X(s) BAD_CAST(s)

static void json_node(struct cc_json *j, const struct cc_node *n)
{
    if (n->key)
        cc_json_key(j, n->key);
    switch (n->type) {
    case CC_NODE_NULL:
        cc_json_null(j);
        break;
    case CC_NODE_BOOL:
        cc_json_bool(j, n->b);
        break;
    case CC_NODE_UINT:
        cc_json_uint(j, n->u);
        break;
    case CC_NODE_STRING:
        cc_json_string(j, n->s);
        break;
    case CC_NODE_OBJECT:
    case CC_NODE_MAP:
        cc_json_begin_object(j);
        for (size_t i = 0; i < n->n; i++)
            json_node(j, n->kids[i]);
        cc_json_end_object(j);
        break;
    case CC_NODE_ARRAY:
        cc_json_begin_array(j);
        for (size_t i = 0; i < n->n; i++)
            json_node(j, n->kids[i]);
        cc_json_end_array(j);
        break;
    }
}

int cc_report_write_json(const struct cc_node *r, FILE *out)
{
    struct cc_json j;

    cc_json_init(&j, out);
    cc_json_begin_object(&j);
    for (size_t i = 0; i < r->n; i++)
        json_node(&j, r->kids[i]);
    cc_json_end_object(&j);
    cc_json_finish(&j);
    return 0;
}

static bool scalar(const struct cc_node *n)
{
    return n->type == CC_NODE_BOOL || n->type == CC_NODE_UINT || n->type == CC_NODE_STRING ||
           n->type == CC_NODE_NULL;
}

static int xml_attr(xmlTextWriterPtr w, const char *name, const struct cc_node *n)
{
    switch (n->type) {
    case CC_NODE_BOOL:
        return xmlTextWriterWriteAttribute(w, X(name), X(n->b ? "yes" : "no"));
    case CC_NODE_UINT:
        return xmlTextWriterWriteFormatAttribute(w, X(name), "%llu", n->u);
    case CC_NODE_STRING:
        return xmlTextWriterWriteAttribute(w, X(name), X(n->s));
    default:
        return 0; /* null: left out */
    }
}

static int xml_element(xmlTextWriterPtr w, const char *name, const struct cc_node *n);

/* The members of an object: scalars as attributes first, then the rest as elements. */
static int xml_members(xmlTextWriterPtr w, const struct cc_node *obj)
{
    int e = 0;

    for (size_t i = 0; i < obj->n; i++)
        if (scalar(obj->kids[i]))
            e |= xml_attr(w, obj->kids[i]->key, obj->kids[i]);
    for (size_t i = 0; i < obj->n; i++)
        if (!scalar(obj->kids[i]))
            e |= xml_element(w, obj->kids[i]->key, obj->kids[i]);
    return e;
}

static int xml_element(xmlTextWriterPtr w, const char *name, const struct cc_node *n)
{
    int e = xmlTextWriterStartElement(w, X(name));

    switch (n->type) {
    case CC_NODE_OBJECT:
        e |= xml_members(w, n);
        break;
    case CC_NODE_ARRAY:
        for (size_t i = 0; i < n->n; i++)
            e |= xml_element(w, n->item, n->kids[i]);
        break;
    case CC_NODE_MAP:
        for (size_t i = 0; i < n->n; i++) {
            e |= xmlTextWriterStartElement(w, X(n->item));
            e |= xmlTextWriterWriteAttribute(w, X("name"), X(n->kids[i]->key));
            e |= xml_attr(w, "value", n->kids[i]);
            e |= xmlTextWriterEndElement(w);
        }
        break;
    case CC_NODE_BOOL:
        e |= xmlTextWriterWriteString(w, X(n->b ? "yes" : "no"));
        break;
    case CC_NODE_UINT:
        e |= xmlTextWriterWriteFormatString(w, "%llu", n->u);
        break;
    case CC_NODE_STRING:
        e |= xmlTextWriterWriteString(w, X(n->s));
        break;
    case CC_NODE_NULL:
        break;
    }
    return e | xmlTextWriterEndElement(w);
}

int cc_report_write_xml(const struct cc_node *r, FILE *out)
{
    struct cc_xml_out x;
    int rc = cc_xml_out_begin(&x), e;

    if (rc < 0)
        return rc;
    e = xml_element(x.w, r->key, r);
    rc = cc_xml_out_end(&x, out);
    return e < 0 && rc == 0 ? cc_error(ENOMEM, "cannot serialise the report") : rc;
}
