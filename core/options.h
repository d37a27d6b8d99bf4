/* Command-line options an architecture understands, and the carrier that hands their values to
 * it. An architecture declares its options in its ops table (cc_arch_ops.options); cli/ builds
 * the popt tables from every architecture's declarations and refuses, in one place, an option
 * the architecture of the files at hand does not declare. core/ itself knows no option's name. */
#ifndef CC_OPTIONS_H
#define CC_OPTIONS_H

#include "strlist.h"

#include <stdbool.h>

/* The commands an option belongs to, as a bit mask. The commands whose operation receives a
 * carrier today are dump (cc_probe_opts) and compare (cc_compare_opts); an option for another
 * command needs that command's operation to take a carrier first. */
enum cc_command {
    CC_CMD_DUMP = 1u << 0,
    CC_CMD_IMPORT = 1u << 1,
    CC_CMD_SHOW = 1u << 2,
    CC_CMD_MODELS = 1u << 3,
    CC_CMD_COMPARE = 1u << 4,
    CC_CMD_BASELINE = 1u << 5,
    CC_CMD_EXPAND = 1u << 6,
    CC_CMD_VERIFY = 1u << 7,
};

enum cc_option_arg {
    CC_OPTION_FLAG,   /* --name */
    CC_OPTION_STRING, /* --name VALUE */
};

/* One declared option; a table of them ends with an entry whose name is NULL. */
struct cc_option {
    const char *name; /* the long option without "--", e.g. "midr-policy" */
    enum cc_option_arg arg;
    const char *arg_name; /* what --help calls the value, e.g. "FILE"; NULL for a flag */
    const char *help;     /* one line for --help */
    unsigned commands;    /* enum cc_command bits */
    char short_name;      /* e.g. 'm' for -m, or 0 */
};

/* The declared options given on one command line: name -> value, "" for a flag. An
 * architecture reads its own by name; a NULL carrier holds nothing. */
struct cc_options {
    struct cc_kvlist given;
};

bool cc_option_flag(const struct cc_options *o, const char *name);
/* The value of a string option, NULL when it was not given. */
const char *cc_option_string(const struct cc_options *o, const char *name);

#endif
