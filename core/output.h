/* Output formats shared by the commands that print reports. */
#ifndef CC_OUTPUT_H
#define CC_OUTPUT_H

enum cc_format { CC_FORMAT_TEXT, CC_FORMAT_JSON, CC_FORMAT_XML };

/* Parses "text", "json" or "xml"; allowed is a bit mask of (1 << enum cc_format). */
int cc_format_parse(const char *s, unsigned allowed, enum cc_format *out);

#endif
