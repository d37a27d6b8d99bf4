/* QEMU's -cpu syntax, MODEL[,TOKEN]..., split the way QEMU splits it (vl.c: the model up to the
 * first comma; then strtok on commas, so empty tokens vanish). What a token means is the
 * architecture's: x86 takes +feat/-feat and key[=value], s390x only key=value. */
#ifndef CC_CPU_STRING_H
#define CC_CPU_STRING_H

#include <stdbool.h>
#include <stddef.h>

/* Longer strings are refused: every later step is linear in the length, but a bound keeps a
 * hostile string from costing more than a real one could. */
#define CC_CPU_STRING_MAX 65536

enum cc_cpu_token_kind {
    CC_CPU_PLUS,  /* +name: QEMU's legacy syntax */
    CC_CPU_MINUS, /* -name */
    CC_CPU_SET,   /* name=value, or a bare name (value "on", has_value false) */
};

struct cc_cpu_token {
    enum cc_cpu_token_kind kind;
    const char *name;  /* without the sign or value */
    const char *value; /* CC_CPU_SET only */
    bool has_value;
};

struct cc_cpu_string {
    const char *spec; /* the whole string as given */
    char *model;
    struct cc_cpu_token *tokens;
    size_t n;
    char *buf; /* owns every string above but spec */
};

/* Splits spec; refuses an empty model, a string over CC_CPU_STRING_MAX bytes and control
 * characters (with a one-line message naming the string). */
int cc_cpu_string_split(const char *spec, struct cc_cpu_string *out);
void cc_cpu_string_free(struct cc_cpu_string *s);

/* A token as the user wrote it ("+avx", "sve=on"), cut short for a one-line message. */
void cc_cpu_token_text(const struct cc_cpu_token *t, char *buf, size_t len);
/* The string to name in a message: spec, or a stand-in when it is too long for one line. */
const char *cc_cpu_string_shown(const char *spec);

/* QEMU's words for a boolean property value (qapi_bool_parse): on/yes/true/y, off/no/false/n. */
int cc_cpu_bool(const char *value, bool *out);

#endif
