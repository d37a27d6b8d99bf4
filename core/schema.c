#include "schema.h"
#include "cleanup.h"
#include "error.h"
#include "prop_types.h"
#include "token_fold.h"
#include "xml_load.h"

#include <stdio.h>
#include <string.h>

struct first_error {
    char text[512];
};

static void keep_first(void *user, xmlErrorPtr err)
{
    struct first_error *fe = user;

    if (fe->text[0] || !err)
        return;
    snprintf(fe->text, sizeof(fe->text), "line %d: %s", err->line,
             err->message ? err->message : "invalid");
    cc_utf8_cut(fe->text);
    for (size_t n = strlen(fe->text); n && (fe->text[n - 1] == '\n' || fe->text[n - 1] == ' ');)
        fe->text[--n] = '\0';
}

static int load_schema(struct cc_ctx *ctx)
{
    _cleanup_free_ char *path = NULL;
    _cleanup_xmldoc_ xmlDocPtr sdoc = NULL;
    struct first_error fe = {{0}};
    xmlRelaxNGParserCtxtPtr pctx;
    int r = cc_ctx_data_path(ctx, "schema/capabilities.rng", &path);

    if (r < 0)
        return r;
    r = cc_xml_load(path, &sdoc);
    if (r == 0 && !ctx->prop_types)
        r = cc_prop_types_load(sdoc, path, &ctx->prop_types);
    if (r == 0)
        r = cc_prop_types_fold(ctx->prop_types, sdoc);
    cc_token_slots_free(ctx->token_slots);
    ctx->token_slots = NULL;
    if (r == 0)
        r = cc_token_fold(sdoc, &ctx->token_slots);
    if (r < 0)
        return r;
    pctx = xmlRelaxNGNewDocParserCtxt(sdoc);
    if (!pctx)
        return cc_error(ENOMEM, "out of memory");
    xmlRelaxNGSetParserStructuredErrors(pctx, keep_first, &fe);
    ctx->schema = xmlRelaxNGParse(pctx);
    xmlRelaxNGFreeParserCtxt(pctx);
    if (!ctx->schema)
        return cc_error(EINVAL, "%s: broken schema (%s)", path, fe.text);
    return 0;
}

int cc_schema_validate(struct cc_ctx *ctx, const char *file, xmlDocPtr doc)
{
    struct first_error fe = {{0}};
    xmlRelaxNGValidCtxtPtr vctx;
    int r;

    if (!ctx->schema && (r = load_schema(ctx)) < 0)
        return r;
    /* What the copy of the schema no longer checks (token_fold.h), first. */
    if ((r = cc_token_check(ctx->token_slots, file, doc)) < 0)
        return r;
    vctx = xmlRelaxNGNewValidCtxt(ctx->schema);
    if (!vctx)
        return cc_error(ENOMEM, "out of memory");
    xmlRelaxNGSetValidStructuredErrors(vctx, keep_first, &fe);
    r = xmlRelaxNGValidateDoc(vctx, doc);
    xmlRelaxNGFreeValidCtxt(vctx);
    if (r != 0)
        return cc_error(EINVAL, "%s: does not match the capability file schema (%s)", file,
                        fe.text[0] ? fe.text : "validation failed");
    return 0;
}

int cc_schema_prop_types(struct cc_ctx *ctx, const struct cc_prop_types **out)
{
    int r = ctx->schema ? 0 : load_schema(ctx);

    *out = ctx->prop_types;
    return r;
}
