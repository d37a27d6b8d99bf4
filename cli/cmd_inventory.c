/* cpucompat inventory: a fleet's capability files at once: classes, the class matrix, migration
 * domains, where a guest can go, groups (inventory_groups.h) and what changed since an older
 * fleet. Exit 2 when any file could not be read (the report still covers the others), else 1
 * when --guest finds no host, --admit does not admit the host or --since finds a host that lost
 * a feature, else 0. */
#include "cli.h"
#include "../core/capdoc_io.h"
#include "../core/cleanup.h"
#include "../core/error.h"
#include "../core/inventory.h"
#include "../core/inventory_groups.h"
#include "../core/number.h"
#include "../core/report.h"

#include <stdio.h>
#include <stdlib.h>

static void inventory_freep(struct cc_inventory *inv)
{
    cc_inventory_free(inv);
}

static void strlist_freep(struct cc_strlist *l)
{
    cc_strlist_free(l);
}

static void groups_freep(struct cc_inv_groups *g)
{
    cc_inv_groups_free(g);
}

static void argv_freep(char ***argv)
{
    for (size_t i = 0; *argv && (*argv)[i]; i++)
        free((*argv)[i]);
    free(*argv);
}

static int run(struct cli_env *env, int argc, const char **argv)
{
    _cleanup_free_ char *format_arg = NULL, *guest_arg = NULL, *model_arg = NULL, *jobs_arg = NULL,
                        *qemu_arg = NULL, *admit_arg = NULL;
    _cleanup_(argv_freep) char **group_args = NULL;
    _cleanup_(argv_freep) char **since = NULL;
    int by_dir = 0;
    struct poptOption options[] = {
        {"format", 'f', POPT_ARG_STRING, &format_arg, 0,
         "text (default), json, xml, csv, csv-matrix or html", "FORMAT"},
        {"guest", 'g', POPT_ARG_STRING, &guest_arg, 0,
         "list the hosts that can take this guest: a capability file's host-model guest, or a "
         "libvirt domain XML or <cpu> as compare --guest reads it ('-': standard input)",
         "FILE"},
        {"model", 'm', POPT_ARG_STRING, &model_arg, 0,
         "list the hosts that can run this named model or QEMU -cpu string", "MODEL"},
        {"jobs", 'j', POPT_ARG_STRING, &jobs_arg, 0,
         "reader processes (default: one per CPU, at most 8)", "N"},
        {"qemu", 0, POPT_ARG_STRING, &qemu_arg, 0, CLI_QEMU_HELP, "VERSION"},
        {"group", 0, POPT_ARG_ARGV, &group_args, 0,
         "a group: the hosts whose file or hostname GLOB matches (repeatable)", "NAME=GLOB"},
        {"group-by-dir", 0, POPT_ARG_NONE, &by_dir, 0, "a group per directory of host files", NULL},
        {"admit", 0, POPT_ARG_STRING, &admit_arg, 0,
         "can this host join the group without lowering its baseline or best models",
         "[NAME:]FILE"},
        {"since", 's', POPT_ARG_ARGV, &since, 0,
         "what changed since an older inventory's JSON or older capability files", "OLD"},
        POPT_AUTOHELP POPT_TABLEEND,
    };
    _cleanup_(cli_popt_freep) poptContext pc =
        poptGetContext("cpucompat inventory", argc, argv, options, 0);
    _cleanup_(inventory_freep) struct cc_inventory inv = {0};
    _cleanup_(strlist_freep) struct cc_strlist files = {0};
    _cleanup_(groups_freep) struct cc_inv_groups groups = {0};
    _cleanup_(cc_doc_freep) struct cc_doc *guest = NULL, *newhost = NULL;
    _cleanup_free_ char *guest_def = NULL;
    _cleanup_close_ int guest_fd = -1;
    const char **paths;
    size_t n_paths = 0, takers = 0, n_since = 0, lost = 0;
    uint64_t jobs = 0;
    enum cc_format fmt;
    struct cc_ctx *ctx;
    int rc;

    poptSetOtherOptionHelp(pc, "FILE|DIR... [--guest FILE | --model MODEL] [--jobs N] "
                               "[--group NAME=GLOB]... [--group-by-dir] [--admit [NAME:]FILE] "
                               "[--since OLD]... [--format text|json|xml|csv|csv-matrix|html]");
    if ((rc = cli_parse("inventory", pc)) >= 0)
        return rc;
    paths = poptGetArgs(pc);
    while (paths && paths[n_paths])
        n_paths++;
    if (!n_paths)
        return cli_usage_error("inventory", "needs capability files or directories");
    while (since && since[n_since])
        n_since++;
    if (guest_arg && model_arg)
        return cli_usage_error("inventory", "--guest and --model are two ways to name one guest");
    if (admit_arg && (guest_arg || model_arg))
        return cli_usage_error("inventory", "--admit and --guest/--model are two questions: ask "
                                            "them in two runs");
    for (size_t i = 0; group_args && group_args[i]; i++)
        if (cc_inv_groups_add(&groups, group_args[i]) < 0)
            return cli_fail();
    groups.by_dir = by_dir;
    if (jobs_arg && cc_parse_decimal(jobs_arg, 1, 64, &jobs) < 0)
        return cli_usage_error("inventory", "--jobs wants a number from 1 to 64, not '%s'",
                               jobs_arg);
    if (!(ctx = cli_setup(env, format_arg, CC_FORMATS_INVENTORY, &fmt)) ||
        cli_set_qemu(ctx, qemu_arg) < 0)
        return CLI_EXIT_ERROR;
    if (guest_arg && cc_inventory_guest_read(ctx, guest_arg, &guest, &guest_def, &guest_fd) < 0)
        return cli_fail();
    if (cc_inventory_scan(&inv, paths, n_paths, &files) < 0 ||
        cc_inventory_read(ctx, &inv, &files, (unsigned)jobs) < 0 ||
        cc_inventory_judge(ctx, &inv) < 0 ||
        ((guest_arg || model_arg) &&
         cc_inventory_guest(ctx, &inv, guest, guest_arg, guest_def, model_arg, &takers) < 0) ||
        cc_inv_groups_build(ctx, &inv, &groups) < 0)
        return cli_fail();
    cc_inventory_relative(&inv, paths, n_paths);
    if (since && cc_inventory_since(ctx, &inv, (const char *const *)since, n_since, (unsigned)jobs,
                                    &lost) < 0)
        return cli_fail();
    if (admit_arg) {
        const char *file = cc_inv_groups_admit_file(&groups, admit_arg);

        if (cc_doc_read(ctx, file, &newhost) < 0 ||
            cc_inv_groups_admit(ctx, &inv, &groups, admit_arg, newhost, file) < 0)
            return cli_fail();
    }
    for (size_t i = 0; i < inv.n_errors; i++)
        fprintf(stderr, "cpucompat: %s\n", inv.errors[i].message);
    rc = inv.n_errors                              ? CLI_EXIT_ERROR
         : (guest_arg || model_arg) && !takers     ? CLI_EXIT_NO
         : groups.admit && !groups.admit->admitted ? CLI_EXIT_NO
         : lost                                    ? CLI_EXIT_NO
                                                   : CLI_EXIT_OK;
    struct cc_node *tree = cc_report_inventory(&inv);
    cc_report_inventory_groups(tree, &inv, &groups);
    return cli_print_report(tree, fmt, rc);
}

const struct cli_command cli_inventory = {
    "inventory", "a fleet at once: classes, migration matrix, domains, where a guest can go, drift",
    run};
