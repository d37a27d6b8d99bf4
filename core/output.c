#include "output.h"
#include "error.h"

#include <string.h>

int cc_format_parse(const char *s, unsigned allowed, enum cc_format *out)
{
    static const char *const names[] = {"text", "json", "xml"};

    for (unsigned i = 0; i < 3; i++) {
        if (strcmp(s, names[i]) == 0 && (allowed & (1u << i))) {
            *out = (enum cc_format)i;
            return 0;
        }
    }
    return cc_error(EINVAL, "--format '%s': not one of%s%s%s", s, allowed & 1 ? " text" : "",
                    allowed & 2 ? " json" : "", allowed & 4 ? " xml" : "");
}
