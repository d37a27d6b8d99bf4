/* A small streaming JSON writer: keeps commas and escaping right, nothing more. */
#ifndef CC_JSON_H
#define CC_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include "strlist.h"

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
/* Shorthands for "key": value members. */
void cc_json_kv_string(struct cc_json *j, const char *key, const char *s);
void cc_json_kv_uint(struct cc_json *j, const char *key, unsigned long long v);
void cc_json_kv_bool(struct cc_json *j, const char *key, bool v);
/* "key": [ every string of the list ] */
void cc_json_kv_strlist(struct cc_json *j, const char *key, const struct cc_strlist *l);
/* Ends the document with a newline. */
void cc_json_finish(struct cc_json *j);

#endif
