#include "cpu_string.h"
#include "error.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cc_cpu_string_free(struct cc_cpu_string *s)
{
    free(s->tokens);
    free(s->buf);
    *s = (struct cc_cpu_string){0};
}

int cc_cpu_string_split(const char *spec, struct cc_cpu_string *out)
{
    size_t len = strnlen(spec, CC_CPU_STRING_MAX + 1), count = 0;
    char *save = NULL, *comma;

    *out = (struct cc_cpu_string){.spec = spec};
    if (len > CC_CPU_STRING_MAX)
        return cc_error(EINVAL, "CPU model string longer than %d bytes", CC_CPU_STRING_MAX);
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)spec[i] < 0x20 || spec[i] == 0x7f)
            return cc_error(EINVAL, "CPU model string has a control character at byte %zu", i);
        count += spec[i] == ',';
    }
    out->buf = xstrdup(spec);
    out->tokens = xcalloc(count + 1, sizeof(*out->tokens));
    out->model = out->buf;
    comma = strchr(out->buf, ',');
    if (comma)
        *comma = '\0';
    if (!*out->model) {
        cc_cpu_string_free(out);
        return cc_error(EINVAL, "'%.*s': empty CPU model name", 80, spec);
    }
    for (char *t = comma ? strtok_r(comma + 1, ",", &save) : NULL; t;
         t = strtok_r(NULL, ",", &save)) {
        struct cc_cpu_token *tok = &out->tokens[out->n++];
        char *eq;

        if (t[0] == '+' || t[0] == '-') {
            tok->kind = t[0] == '+' ? CC_CPU_PLUS : CC_CPU_MINUS;
            tok->name = t + 1;
            continue;
        }
        tok->kind = CC_CPU_SET;
        tok->name = t;
        tok->value = "on";
        if ((eq = strchr(t, '='))) {
            *eq = '\0';
            tok->has_value = true;
            tok->value = eq + 1;
        }
    }
    return 0;
}

int cc_cpu_bool(const char *value, bool *out)
{
    static const char *const yes[] = {"on", "yes", "true", "y"}, *const no[] = {"off", "no",
                                                                                "false", "n"};

    for (size_t i = 0; i < 4; i++) {
        if (strcmp(value, yes[i]) == 0)
            return *out = true, 0;
        if (strcmp(value, no[i]) == 0)
            return *out = false, 0;
    }
    return -1;
}

void cc_cpu_token_text(const struct cc_cpu_token *t, char *buf, size_t len)
{
    if (t->kind != CC_CPU_SET)
        snprintf(buf, len, "%c%.*s", t->kind == CC_CPU_PLUS ? '+' : '-', 80, t->name);
    else if (t->has_value)
        snprintf(buf, len, "%.*s=%.*s", 80, t->name, 40, t->value);
    else
        snprintf(buf, len, "%.*s", 80, t->name);
}

const char *cc_cpu_string_shown(const char *spec)
{
    return strlen(spec) <= 120 ? spec : "(the CPU model string)";
}
