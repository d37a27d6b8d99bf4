/* Output formats of the commands that print reports. Each is a writer over a report tree
 * (report.h); a new format is one more enum value, name and writer in output.c. */
#ifndef CC_OUTPUT_H
#define CC_OUTPUT_H

enum cc_format { CC_FORMAT_TEXT, CC_FORMAT_JSON, CC_FORMAT_XML, CC_FORMAT_COUNT };

/* Every format a report can be printed in, for --format. */
#define CC_FORMATS_ALL ((1u << CC_FORMAT_COUNT) - 1)

/* Parses a format name; allowed is a bit mask of (1 << enum cc_format). */
int cc_format_parse(const char *s, unsigned allowed, enum cc_format *out);

#endif
