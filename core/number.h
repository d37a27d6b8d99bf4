/* The one strict parser of the numbers a capability file carries (properties, and the text of
 * imports where a format defines them so). Decimal: digits only, no sign, no leading zero, no
 * white space. Hex: "0x" and 1 to 16 lower-case digits. No message is set: callers name the
 * file and the field. */
#ifndef CC_NUMBER_H
#define CC_NUMBER_H

#include <stdint.h>

/* 0, -EINVAL when s is not such a number, -ERANGE when it is outside [min, max]. */
int cc_parse_decimal(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int cc_parse_hex(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* Either: hex when it starts with "0x", else decimal (the data tables write both). */
int cc_parse_number(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif
