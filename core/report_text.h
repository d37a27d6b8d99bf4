/* The text layouts of the reports: each reads its report tree by member name and chooses what
 * to print and how; report_text.c finds the layout by the report's name. */
#ifndef CC_REPORT_TEXT_H
#define CC_REPORT_TEXT_H

#include "rtree.h"

#include <stdio.h>

void cc_text_comparison(const struct cc_node *r, FILE *out);
void cc_text_models(const struct cc_node *r, FILE *out);
void cc_text_resolution(const struct cc_node *r, FILE *out);
void cc_text_baseline(const struct cc_node *r, FILE *out);
void cc_text_show(const struct cc_node *r, FILE *out);
void cc_text_inventory(const struct cc_node *r, FILE *out);
/* The drift member of the inventory report (inventory --since), when present. */
void cc_text_inventory_drift(const struct cc_node *r, FILE *out);

/* "label" and the string items of an array, wrapped before column 78 under a label column of
 * width characters. */
void cc_text_list(FILE *out, const char *label, int width, const struct cc_node *array);

#endif
