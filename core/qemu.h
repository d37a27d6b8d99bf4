/* The QEMU release a host runs guests with: what answers depend on (which CPU models and
 * features exist), stated by a capability file's origin, by --qemu, or assumed. */
#ifndef CC_QEMU_H
#define CC_QEMU_H

#include <stddef.h>

struct cc_ctx;
struct cc_doc;

/* A release as one number, major * 1000000 + minor * 1000 + micro, so releases compare as
 * integers; 0 is "none". */
#define CC_QEMU_VERSION(major, minor, micro) ((major)*1000000u + (minor)*1000u + (micro))
/* What every answer assumed before files recorded their QEMU. */
#define CC_QEMU_DEFAULT CC_QEMU_VERSION(7, 2, 0)
/* Room for "999.999.999". */
#define CC_QEMU_VERSION_LEN 16

/* Strict: "X.Y" or "X.Y.Z", decimal numbers of at most 3 digits without leading zeros. A file's
 * origin may carry a fourth number (a distribution's), accepted and ignored when max_parts is
 * 4. Errors: "'TEXT': not a QEMU version (X.Y or X.Y.Z)". */
int cc_qemu_version_parse(const char *s, int max_parts, unsigned *out);
/* "X.Y" when micro is 0, else "X.Y.Z". */
void cc_qemu_version_format(unsigned v, char *buf, size_t len);

enum cc_qemu_from { CC_QEMU_FROM_DEFAULT, CC_QEMU_FROM_FILE, CC_QEMU_FROM_OPTION };

/* The QEMU a document's host runs: --qemu (ctx->qemu_override) over the origin's qemu-version
 * over CC_QEMU_DEFAULT. A malformed qemu-version is an error naming file. */
int cc_doc_qemu(const struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                unsigned *version, enum cc_qemu_from *from);

/* The note an answer carries when the release was assumed, e.g. "h.xml: no QEMU version (in the
 * file or --qemu): judged as QEMU 7.2"; the caller frees it. */
char *cc_qemu_default_note(const char *file);
struct cc_strlist;
/* cc_doc_qemu for a verdict: a release below oldest (the oldest the architecture's tables
 * know) is refused naming the file or --qemu, and a host judged by the default release gets
 * cc_qemu_default_note once in notes (may be NULL). */
int cc_doc_qemu_judged(const struct cc_ctx *ctx, const struct cc_doc *doc, const char *file,
                       unsigned oldest, unsigned *qemu, struct cc_strlist *notes);
/* Notes of several hosts' answers (a group's): the default notes of two or more files said once,
 * in the place of the first, "N hosts record no QEMU version (see --qemu): judged as QEMU 7.2:
 * FILE, FILE, ..." (the first files named, then how many more). */
void cc_qemu_default_notes_merge(struct cc_strlist *notes);

/* dump: the QEMU this host would run guests of arch with (qemu-system-ARCH on PATH, then
 * libvirt's usual places), by running its --version. $CPUCOMPAT_QEMU names the binary instead
 * (tests). On success version and binary are set (the caller frees them); when there is none or
 * it cannot tell, both stay NULL and note gets why (returns 0 either way). */
int cc_qemu_probe(const char *arch, char **version, char **binary, void (*note)(const char *));

#endif
