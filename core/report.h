/* Printing the answers of models, compare and baseline as text, JSON or XML. */
#ifndef CC_REPORT_H
#define CC_REPORT_H

#include "output.h"
#include "verdict.h"

#include <stdio.h>

int cc_report_models(const struct cc_models_report *r, const char *file, enum cc_format fmt,
                     FILE *out);

/* --resolve NAME: the newest version of NAME's family the host can run. Returns 0 when one
 * is usable, 1 when none is (the report says why), negative on error (unknown NAME). */
int cc_report_resolve(const struct cc_models_report *r, const char *file, const char *name,
                      enum cc_format fmt, FILE *out);

int cc_report_compare(const struct cc_verdict *v, const char *src, const char *dst,
                      enum cc_format fmt, FILE *out);

int cc_report_baseline(const struct cc_baseline *b, const char *const *files, size_t n,
                       enum cc_format fmt, FILE *out);

#endif
