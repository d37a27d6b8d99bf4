/* The reports of models, compare, verify and baseline as report trees (rtree.h), and the one
 * entry point that prints any report in any format. */
#ifndef CC_REPORT_H
#define CC_REPORT_H

#include "output.h"
#include "rtree.h"
#include "verdict.h"

#include <stdio.h>

/* "models": which named models a host can run. */
struct cc_node *cc_report_models(const struct cc_models_report *r, const char *file);

/* "resolution" (--resolve NAME): the newest version of NAME's family the host can run. Returns
 * 0 when one is usable, 1 when none is (the report says why), negative on error (unknown NAME),
 * the report in *out otherwise. */
int cc_report_resolve(const struct cc_models_report *r, const char *file, const char *name,
                      struct cc_node **out);

/* "comparison": compare's and verify's verdict. */
struct cc_node *cc_report_compare(const struct cc_verdict *v, const char *src, const char *dst);

/* "baseline": the CPU every host can run. */
struct cc_node *cc_report_baseline(const struct cc_baseline *b, const char *const *files, size_t n);
/* A baseline's members every report of one shares (baseline, inventory's groups): model, vendor,
 * level, extra_features, removed_features, features. */
void cc_add_baseline_members(struct cc_node *o, const struct cc_baseline *b);

struct cc_ctx;
struct cc_arch_ops;
/* --names (ctx->names): is that spelling known for arch's features? An error says why not. */
int cc_names_check(struct cc_ctx *ctx, const struct cc_arch_ops *arch);
/* Rewrites the report's feature names in ctx->names for the files' architecture (report_spell.c);
 * nothing without --names or with --names qemu. */
int cc_report_spell(struct cc_ctx *ctx, struct cc_node *report);

/* Prints a report in fmt: JSON and XML by the generic writers, text by the report's layout. */
int cc_report_write(const struct cc_node *report, enum cc_format fmt, FILE *out);

/* The writers behind cc_report_write. A new format is one more writer over the tree. */
int cc_report_write_json(const struct cc_node *report, FILE *out);
int cc_report_write_xml(const struct cc_node *report, FILE *out);
/* The stack's formats (report_export.c): the "guest_cpu" member as QEMU's -cpu string or
 * libvirt's <cpu> element; the "labels" report as KubeVirt's node labels, key=value a line. */
int cc_report_write_qemu(const struct cc_node *report, FILE *out);
int cc_report_write_libvirt(const struct cc_node *report, FILE *out);
int cc_report_write_labels(const struct cc_node *report, FILE *out);

/* The inventory's formats: its host list and its class matrix as CSV (inventory_csv.c), the
 * whole report as one self-contained HTML page (inventory_html.c). */
int cc_report_write_csv(const struct cc_node *report, FILE *out);
int cc_report_write_csv_matrix(const struct cc_node *report, FILE *out);
int cc_report_write_html(const struct cc_node *report, FILE *out);

/* "labels": KubeVirt's node labels for one host (its architecture's labels op). */
struct cc_node *cc_report_labels(const struct cc_kvlist *labels, const struct cc_strlist *notes,
                                 const char *file);
/* Text: the layout registered for the report's name (report_text.c). */
int cc_report_write_text(const struct cc_node *report, FILE *out);

#endif
