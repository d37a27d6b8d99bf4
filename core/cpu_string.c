#include "cpu_string.h"
#include "error.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Names longer than this get no suggestion: the distance costs their product. */
#define NEAREST_MAX 64

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

void cc_nearest_init(struct cc_nearest *n, const char *word)
{
    *n = (struct cc_nearest){.word = word, .dist = SIZE_MAX};
}

/* Levenshtein distance, both strings at most NEAREST_MAX long. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[NEAREST_MAX + 1];

    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

void cc_nearest_offer(struct cc_nearest *n, const char *candidate)
{
    size_t lw = strlen(n->word), lc = strlen(candidate), d;

    if (lw > NEAREST_MAX || lc > NEAREST_MAX)
        return;
    d = distance(n->word, lw, candidate, lc);
    if (d < n->dist) {
        n->dist = d;
        n->best = candidate;
    }
}

const char *cc_nearest_best(const struct cc_nearest *n)
{
    size_t lw = strlen(n->word);

    /* A third of the word, at least one and at most three edits: closer than that is a typo,
     * further is another name. */
    size_t limit = lw / 3 < 1 ? 1 : lw / 3 > 3 ? 3 : lw / 3;
    return n->best && n->dist <= limit ? n->best : NULL;
}
