/* Guests given as libvirt <cpu> definitions (compare --guest). */
#ifndef CC_X86_GUEST_LIBVIRT_H
#define CC_X86_GUEST_LIBVIRT_H

#include "x86.h"

/* Judges the guest of the file guest ("-": standard input) on dst, and first on src when src is
 * not NULL (the one-file form passes NULL). Bad or unknown input is an error naming the file. */
int x86_guest_libvirt_compare(struct cc_ctx *ctx, const struct cc_doc *src, const char *src_file,
                              const struct cc_doc *dst, const char *dst_file, const char *guest,
                              const struct cc_compare_opts *opts, struct cc_verdict *v);

#endif
