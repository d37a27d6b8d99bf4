#include "embedded.h"

#include <string.h>

static bool in_use;

void cc_embedded_use(bool on)
{
    in_use = on;
}

const struct cc_embedded_file *cc_embedded_lookup(const char *path)
{
    size_t root = strlen(CC_EMBEDDED_ROOT);

    if (!in_use || strncmp(path, CC_EMBEDDED_ROOT "/", root + 1) != 0)
        return NULL;
    for (const struct cc_embedded_file *f = cc_embedded_files; f->name; f++)
        if (strcmp(f->name, path + root + 1) == 0)
            return f;
    return NULL;
}
