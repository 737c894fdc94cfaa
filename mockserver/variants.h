/* Variants as the core sees them: finding a vendor's switch, checking a value the way --variant
 * checks it, telling whether two configurations differ for a vendor, and listing what is in
 * force (GET /__cdrsim/variants). */
#ifndef MOCK_VARIANTS_H
#define MOCK_VARIANTS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "vendor.h"

/* The variant every vendor has: --variant VENDOR.drift=OPS (see drift.h). */
#define MOCK_DRIFT_VARIANT "drift"

/* The vendor of the table with that id (and its index), or NULL. */
const struct mock_vendor_sim *mock_vendor_find(const char *id, size_t *index);

/* Whether the vendor has a variant of that name (its own, or the core's drift). */
bool mock_variant_known(const struct mock_vendor_sim *sim, const char *name);

/* Whether VENDOR.NAME=VALUE is a setting the mock takes. false with err naming it:
 * "itnio.status_type=x: expected number|string", "itnio.nosuch: itnio has no such variant". */
bool mock_variant_check(const char *vendor, const char *name, const char *value, char *err,
                        size_t err_len);

/* Whether a and b give the vendor's own variants the same values (drift aside: the core applies
 * it, the vendor's state does not depend on it). */
bool mock_variants_same(const struct mock_config *a, const struct mock_config *b,
                        const struct mock_vendor_sim *sim);

/* Every vendor's variants as a JSON object keyed "vendor.name", each with the value in force
 * (now), the start-up one (configured), the default, the choices (null when free-form) and the
 * help text. Caller frees; NULL when out of memory. */
char *mock_variants_json(const struct mock_config *now, const struct mock_config *configured);

#endif
