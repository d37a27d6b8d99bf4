/* inventory --since OLD.json: a previous inventory's JSON (core/inventory_drift_json.c) over any
 * input. A refusal is one line naming the file; an accepted report's hosts point at its classes,
 * and each class's canonical text, diffed by its architecture against itself, shows no drift
 * (the old side's texts are untrusted even when they hash to their ids). */
#include "fuzzlib.h"
#include "../../core/error.h"
#include "../../core/inventory_drift.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cc_ctx *ctx = fuzz_begin();
    const char *path = fuzz_file(data, size);
    struct cc_drift_side side = {0};

    if (cc_drift_old_json(path, &side) < 0) {
        const char *msg = cc_error_message();

        if (!msg || strchr(msg, '\n') || !strstr(msg, path))
            fuzz_violation("a refusal that is not one line naming the file: %s", msg ? msg : "");
        cc_drift_side_free(&side);
        return 0;
    }
    for (size_t i = 0; i < side.n_hosts; i++) {
        const struct cc_drift_host *h = &side.hosts[i];
        struct cc_drift d = {0};

        if (h->canon >= side.n_canon || !h->arch)
            fuzz_violation("host %zu points at no class", i);
        if (i < 8 && h->arch->canonical_diff &&
            h->arch->canonical_diff(ctx, side.canon[h->canon], side.canon[h->canon], &d) == 0 &&
            (d.lost.n || d.gained.n || d.changed.n))
            fuzz_violation("a canonical text differs from itself (%zu lost, %zu gained, %zu changed)",
                           d.lost.n, d.gained.n, d.changed.n);
        cc_drift_free(&d);
    }
    cc_drift_side_free(&side);
    return 0;
}
