/* Where an expectation comes from. Every scenario, or a step overriding it, says whether its
 * expectations are documented (the vendor's page says so: "cite" quotes where) or inferred (our
 * reading where the pages are silent: "why" says what from). A live vendor that does otherwise
 * than we inferred departs from our inference; one that does otherwise than its page says is
 * broken. "on_departure" names the mock variant that behaves like such a vendor, so that a run
 * can suggest a mock configuration matching the vendor at hand. */
#include <stdio.h>
#include <string.h>

#include "conform.h"

static const char *string_member(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

struct conform_evidence conform_evidence_of(const cJSON *obj)
{
    struct conform_evidence e = {CONFORM_EVIDENCE_UNTAGGED, NULL, NULL, NULL};
    const char *level = string_member(obj, "evidence");
    if (level && strcmp(level, "documented") == 0)
        e.level = CONFORM_EVIDENCE_DOCUMENTED;
    else if (level && strcmp(level, "inferred") == 0)
        e.level = CONFORM_EVIDENCE_INFERRED;
    e.cite = string_member(obj, "cite");
    e.why = string_member(obj, "why");
    e.on_departure = cJSON_GetObjectItemCaseSensitive(obj, "on_departure");
    return e;
}

struct conform_evidence conform_step_evidence(const struct conform_scenario *sc, const cJSON *step)
{
    struct conform_evidence own = conform_evidence_of(step);
    struct conform_evidence e = sc ? sc->evidence : conform_evidence_of(NULL);
    if (own.level != CONFORM_EVIDENCE_UNTAGGED) {
        e.level = own.level;
        e.cite = own.cite;
        e.why = own.why;
    }
    if (own.on_departure)
        e.on_departure = own.on_departure;
    return e;
}

const char *conform_evidence_name(enum conform_evidence_level level)
{
    return level == CONFORM_EVIDENCE_DOCUMENTED ? "documented"
           : level == CONFORM_EVIDENCE_INFERRED ? "inferred"
                                                : "untagged";
}

/* {"variants": {"<vendor>.<name>": "value", ...}, "expect": {...}}: the variants, and optionally
 * what the vendor must have done for them to be the right ones. */
static bool check_alternative(const cJSON *alt, const char *vendor, const char *where, char *err,
                              size_t err_len)
{
    const cJSON *variants = cJSON_GetObjectItemCaseSensitive(alt, "variants");
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(alt, "expect");
    const cJSON *item;
    bool keys_ok = cJSON_IsObject(alt);
    cJSON_ArrayForEach(item, (keys_ok ? alt : NULL))
        keys_ok = keys_ok &&
                  (strcmp(item->string, "variants") == 0 || strcmp(item->string, "expect") == 0);
    if (!keys_ok || !cJSON_IsObject(variants) || !variants->child ||
        (expect && !cJSON_IsObject(expect))) {
        snprintf(err, err_len,
                 "%s: \"on_departure\" takes {\"variants\": {\"%s.NAME\": VALUE, ...}} with an "
                 "optional \"expect\" object, or an array of them",
                 where, vendor);
        return false;
    }
    size_t vlen = strlen(vendor);
    cJSON_ArrayForEach(item, variants) {
        if (strncmp(item->string, vendor, vlen) != 0 || item->string[vlen] != '.' ||
            !item->string[vlen + 1] || (!cJSON_IsString(item) && !cJSON_IsNumber(item))) {
            snprintf(err, err_len,
                     "%s: on_departure variant \"%s\" must be named %s.NAME and have a string or "
                     "number value",
                     where, item->string, vendor);
            return false;
        }
    }
    return true;
}

bool conform_evidence_check(const cJSON *obj, const char *vendor, const char *where, char *err,
                            size_t err_len)
{
    const cJSON *level = cJSON_GetObjectItemCaseSensitive(obj, "evidence");
    struct conform_evidence e = conform_evidence_of(obj);
    if (level && e.level == CONFORM_EVIDENCE_UNTAGGED) {
        snprintf(err, err_len, "%s: \"evidence\" is \"documented\" or \"inferred\"", where);
        return false;
    }
    const char *keys[] = {"cite", "why"};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, keys[i]);
        if (v && (!cJSON_IsString(v) || !v->valuestring[0])) {
            snprintf(err, err_len, "%s: \"%s\" must be a non-empty string", where, keys[i]);
            return false;
        }
        if (v && !level) {
            snprintf(err, err_len, "%s: \"%s\" without \"evidence\"", where, keys[i]);
            return false;
        }
    }
    if (e.level == CONFORM_EVIDENCE_DOCUMENTED && !e.cite) {
        snprintf(err, err_len,
                 "%s: documented evidence needs \"cite\": the vendor's page (URL) and what it says",
                 where);
        return false;
    }
    if (e.level == CONFORM_EVIDENCE_INFERRED && !e.why) {
        snprintf(err, err_len, "%s: inferred evidence needs \"why\": what we inferred, from what",
                 where);
        return false;
    }
    if (!e.on_departure)
        return true;
    if (!cJSON_IsArray(e.on_departure))
        return check_alternative(e.on_departure, vendor, where, err, err_len);
    if (cJSON_GetArraySize(e.on_departure) == 0) {
        snprintf(err, err_len, "%s: \"on_departure\" is an empty array", where);
        return false;
    }
    const cJSON *alt;
    cJSON_ArrayForEach(alt, e.on_departure)
        if (!check_alternative(alt, vendor, where, err, err_len))
            return false;
    return true;
}
