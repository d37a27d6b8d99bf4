#include "options.h"

bool cc_option_flag(const struct cc_options *o, const char *name)
{
    return o && cc_kv_get(&o->given, name) != NULL;
}

const char *cc_option_string(const struct cc_options *o, const char *name)
{
    return o ? cc_kv_get(&o->given, name) : NULL;
}
