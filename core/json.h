/* A small streaming JSON writer: keeps commas and escaping right, nothing more (the JSON writer
 * of report trees, rtree_write.c, stands on it). */
#ifndef CC_JSON_H
#define CC_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define CC_JSON_MAX_DEPTH 16

struct cc_json {
    FILE *out;
    int depth;
    bool first[CC_JSON_MAX_DEPTH];
    bool after_key;
};

void cc_json_init(struct cc_json *j, FILE *out);
void cc_json_begin_object(struct cc_json *j);
void cc_json_end_object(struct cc_json *j);
void cc_json_begin_array(struct cc_json *j);
void cc_json_end_array(struct cc_json *j);
void cc_json_key(struct cc_json *j, const char *key);
void cc_json_string(struct cc_json *j, const char *s);
void cc_json_uint(struct cc_json *j, unsigned long long v);
void cc_json_bool(struct cc_json *j, bool v);
void cc_json_null(struct cc_json *j);
/* Ends the document with a newline. */
void cc_json_finish(struct cc_json *j);

#endif
