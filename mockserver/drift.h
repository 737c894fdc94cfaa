/* Response-shape drift, for proving that a conformance run notices when a vendor changes its API:
 * --variant VENDOR.drift=OPS rewrites that vendor's JSON answers after its handler ran. OPS are
 * separated by ';':
 *   rename:PATH>NEW     rename the member at PATH to NEW
 *   stringify:PATH      turn a number (or boolean) into a string of the same text
 *   add:PATH=JSON       add a member (PATH names the new member)
 *   drop:PATH           remove the member
 *   set:PATH=JSON       replace the value (e.g. a wrong total: set:data.total=9999)
 * PATH is dot-separated member names; "name[]" walks every element of an array
 * ("data.records[].callType", "data[].duration"). Non-JSON answers pass through untouched. */
#ifndef MOCK_DRIFT_H
#define MOCK_DRIFT_H

#include <stdbool.h>
#include <stddef.h>

#include "response.h"

struct mock_drift;

/* NULL with err filled when the spec is malformed. */
struct mock_drift *mock_drift_parse(const char *spec, char *err, size_t err_len);
void mock_drift_free(struct mock_drift *drift);
/* Rewrites resp's body in place when it is JSON; leaves it alone otherwise. */
void mock_drift_apply(const struct mock_drift *drift, struct mock_response *resp);

#endif
