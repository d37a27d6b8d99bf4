#include "cli_options.h"
#include "cli.h"
#include "../core/cleanup.h"
#include "../core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Options every architecture takes; their values reach it through the same carrier as its own.
 * A new one (e.g. a QEMU version) is one line here and is read by name where it is used. */
static const struct cc_option generic[] = {
    {.name = "model",
     .short_name = 'm',
     .arg = CC_OPTION_STRING,
     .arg_name = "MODEL",
     .help = "the guest: a named model, or a QEMU -cpu string (x86, arm64) or x86-64 psABI "
             "level (default: the migratable host model of SRC); with one file, does DST run it",
     .commands = CC_CMD_COMPARE},
    {.name = "guest",
     .short_name = 'g',
     .arg = CC_OPTION_STRING,
     .arg_name = "FILE",
     .help = "the guest a libvirt domain XML or <cpu> defines ('-': standard input); with one "
             "file, does it run there",
     .commands = CC_CMD_COMPARE},
    {.name = NULL},
};

static bool declares(const struct cc_arch_ops *arch, const char *name, unsigned bit)
{
    for (const struct cc_option *d = arch->options; d && d->name; d++)
        if (strcmp(d->name, name) == 0 && (d->commands & bit))
            return true;
    return false;
}

static bool is_generic(const struct cc_option *d)
{
    return d >= generic && d < generic + CC_ARRAY_SIZE(generic);
}

static void add(struct cli_options *o, const struct cc_option *d, unsigned bit)
{
    size_t i = o->n;

    for (size_t k = 0; k < o->n; k++)
        if (strcmp(o->decl[k]->name, d->name) == 0)
            return; /* declared by another architecture too: one entry */
    if (i == CLI_MAX_OPTIONS)
        abort(); /* the tables are ours: raise CLI_MAX_OPTIONS */
    o->decl[i] = d;
    if (!is_generic(d)) {
        /* "aarch64: help", naming every architecture that declares it */
        size_t len = 0;
        char *h;

        for (size_t a = 0; cc_arch_table[a]; a++)
            if (declares(cc_arch_table[a], d->name, bit))
                len += strlen(cc_arch_table[a]->name) + 2;
        h = xmalloc(len + strlen(d->help) + 1);
        h[0] = '\0';
        for (size_t a = 0; cc_arch_table[a]; a++)
            if (declares(cc_arch_table[a], d->name, bit)) {
                if (h[0])
                    strcat(h, ",");
                strcat(h, cc_arch_table[a]->name);
            }
        strcat(h, ": ");
        strcat(h, d->help);
        o->help[i] = h;
    }
    o->table[i] = (struct poptOption){
        .longName = d->name,
        .shortName = d->short_name,
        .argInfo = d->arg == CC_OPTION_FLAG ? POPT_ARG_NONE : POPT_ARG_STRING,
        .arg = d->arg == CC_OPTION_FLAG ? (void *)&o->flag[i] : (void *)&o->value[i],
        .descrip = o->help[i] ? o->help[i] : d->help,
        .argDescrip = d->arg_name,
    };
    o->n++;
}

void cli_options_init(struct cli_options *o, const char *cmd, unsigned bit)
{
    *o = (struct cli_options){.cmd = cmd, .bit = bit};
    for (const struct cc_option *d = generic; d->name; d++)
        if (d->commands & bit)
            add(o, d, bit);
    for (size_t a = 0; cc_arch_table[a]; a++)
        for (const struct cc_option *d = cc_arch_table[a]->options; d && d->name; d++)
            if (d->commands & bit)
                add(o, d, bit);
    o->table[o->n] = (struct poptOption)POPT_TABLEEND;
}

int cli_options_check(struct cli_options *o, const struct cc_arch_ops *arch, const char *what)
{
    unsigned bit = o->bit;

    for (size_t i = 0; i < o->n; i++) {
        const struct cc_option *d = o->decl[i];
        bool given = d->arg == CC_OPTION_FLAG ? o->flag[i] != 0 : o->value[i] != NULL;

        if (!given)
            continue;
        if (!is_generic(d) && !declares(arch, d->name, bit)) {
            char owners[128] = "";

            for (size_t a = 0; cc_arch_table[a]; a++)
                if (declares(cc_arch_table[a], d->name, bit))
                    snprintf(owners + strlen(owners), sizeof(owners) - strlen(owners), "%s%s",
                             owners[0] ? " and " : "", cc_arch_table[a]->name);
            fprintf(stderr, "cpucompat %s: --%s is an %s option; %s %s\n", o->cmd, d->name, owners,
                    what, arch->name);
            return CLI_EXIT_ERROR;
        }
        if (cc_kv_set(&o->given.given, d->name, d->arg == CC_OPTION_FLAG ? "" : o->value[i]) < 0)
            return cli_fail();
    }
    return 0;
}

const char *cli_options_peek(const struct cli_options *o, const char *name)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->decl[i]->name, name) == 0)
            return o->decl[i]->arg == CC_OPTION_FLAG ? (o->flag[i] ? "" : NULL) : o->value[i];
    return NULL;
}

void cli_options_free(struct cli_options *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->value[i]);
        free(o->help[i]);
    }
    cc_kv_free(&o->given.given);
    *o = (struct cli_options){0};
}
