/* Suite files: declarative scenarios, one JSON file per vendor (conformance/suites/<vendor>.json).
 * Loading checks the whole file up front, so a typo fails the run before any request is sent. */
#include <stdlib.h>
#include <string.h>

#include "conform.h"

static const char *const step_keys[] = {
    "call",   "check",  "admin",   "args",        "page",        "size",   "fault", "expect",
    "filter", "where",  "exact",   "min_matches", "min_records", "source", "body",  "method",
    "path",   "status", "note",    "finally",     "evidence",    "cite",   "why",   "on_departure",
    "client", "keep",   "journal", "listen",      "push",        "pulled", NULL};
static const char *const scenario_keys[] = {"id",   "description",  "tags",     "steps",
                                            "mock", "note",         "evidence", "cite",
                                            "why",  "on_departure", NULL};
static const char *const fault_keys[] = {"wrong_secret", "clock_offset", "unchecked",
                                         "reuse_nonce",  "signature",    NULL};

static bool known(const char *const *list, const char *key)
{
    for (; *list; list++)
        if (strcmp(*list, key) == 0)
            return true;
    return false;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t used = 0, cap = 0, n;
    char chunk[8192];
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (used + n + 1 > cap) {
            cap = (used + n + 1) * 2;
            char *grown = realloc(text, cap);
            if (!grown) {
                free(text);
                fclose(f);
                return NULL;
            }
            text = grown;
        }
        memcpy(text + used, chunk, n);
        used += n;
    }
    fclose(f);
    if (text)
        text[used] = '\0';
    *len = used;
    return text;
}

bool conform_step_judges(const cJSON *step)
{
    return cJSON_HasObjectItem(step, "expect") || cJSON_HasObjectItem(step, "check") ||
           cJSON_HasObjectItem(step, "journal") || cJSON_HasObjectItem(step, "push");
}

bool conform_scenario_uses_admin(const struct conform_scenario *sc)
{
    const cJSON *step;
    cJSON_ArrayForEach(step, sc->steps)
        if (cJSON_HasObjectItem(step, "admin") || cJSON_HasObjectItem(step, "journal") ||
            cJSON_HasObjectItem(step, "listen") || cJSON_HasObjectItem(step, "push"))
            return true;
    return false;
}

/* "client": {"timeout_ms": N, "max_retries": N}, the settings of the client a step opens. */
static bool check_client(const cJSON *client, const char *where, char *err, size_t err_len)
{
    if (!client)
        return true;
    const cJSON *item;
    cJSON_ArrayForEach(item, (cJSON_IsObject(client) ? client : NULL)) {
        bool timeout = strcmp(item->string, "timeout_ms") == 0;
        bool retries = strcmp(item->string, "max_retries") == 0;
        double max = timeout ? 600000 : 10;
        if ((!timeout && !retries) || !cJSON_IsNumber(item) || item->valuedouble < timeout ||
            item->valuedouble > max || item->valuedouble != (double)(long)item->valuedouble) {
            snprintf(err, err_len,
                     "%s: \"client\" takes \"timeout_ms\" (1..600000) and \"max_retries\" "
                     "(0..10), got \"%s\"",
                     where, item->string);
            return false;
        }
    }
    if (!cJSON_IsObject(client)) {
        snprintf(err, err_len, "%s: \"client\" must be an object", where);
        return false;
    }
    return true;
}

static bool check_step(const struct conform_scenario *sc, const cJSON *step, const char *vendor,
                       unsigned flags, const char *where, char *err, size_t err_len)
{
    if (!cJSON_IsObject(step)) {
        snprintf(err, err_len, "%s: a step must be an object", where);
        return false;
    }
    int kinds = cJSON_HasObjectItem(step, "call") + cJSON_HasObjectItem(step, "check") +
                cJSON_HasObjectItem(step, "admin") + cJSON_HasObjectItem(step, "listen") +
                cJSON_HasObjectItem(step, "push");
    if (kinds != 1) {
        snprintf(err, err_len,
                 "%s: a step has exactly one of \"call\", \"check\", \"admin\", \"listen\" or "
                 "\"push\"",
                 where);
        return false;
    }
    const char *object_keys[] = {"listen", "push", "pulled"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(step, object_keys[i]);
        if (v && !cJSON_IsObject(v)) {
            snprintf(err, err_len, "%s: \"%s\" must be an object", where, object_keys[i]);
            return false;
        }
    }
    if (cJSON_HasObjectItem(step, "pulled") && !cJSON_HasObjectItem(step, "push")) {
        snprintf(err, err_len, "%s: \"pulled\" belongs to a \"push\" step", where);
        return false;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, step) {
        if (!known(step_keys, item->string)) {
            snprintf(err, err_len, "%s: unknown step key \"%s\"", where, item->string);
            return false;
        }
    }
    const cJSON *faults = cJSON_GetObjectItemCaseSensitive(step, "fault");
    cJSON_ArrayForEach(item, (cJSON_IsObject(faults) ? faults : NULL)) {
        if (!known(fault_keys, item->string)) {
            snprintf(err, err_len, "%s: unknown fault \"%s\"", where, item->string);
            return false;
        }
    }
    const char *name_keys[] = {"call", "check", "admin"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(step, name_keys[i]);
        if (v && !cJSON_IsString(v)) {
            snprintf(err, err_len, "%s: \"%s\" must be a string", where, name_keys[i]);
            return false;
        }
    }
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(step, "args");
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(step, "expect");
    if ((args && !cJSON_IsObject(args)) || (expect && !cJSON_IsObject(expect)) ||
        (faults && !cJSON_IsObject(faults))) {
        snprintf(err, err_len, "%s: \"args\", \"expect\" and \"fault\" must be objects", where);
        return false;
    }
    const cJSON *keep = cJSON_GetObjectItemCaseSensitive(step, "keep");
    if (keep && (!cJSON_IsString(keep) || !cJSON_HasObjectItem(step, "call"))) {
        snprintf(err, err_len, "%s: \"keep\" names the ids a call step keeps (a string)", where);
        return false;
    }
    if (!check_client(cJSON_GetObjectItemCaseSensitive(step, "client"), where, err, err_len) ||
        !conform_journal_check_spec(cJSON_GetObjectItemCaseSensitive(step, "journal"), where, err,
                                    err_len))
        return false;
    if (!conform_evidence_check(step, vendor, where, err, err_len))
        return false;
    if ((flags & CONFORM_LOAD_REQUIRE_EVIDENCE) && conform_step_judges(step) &&
        conform_step_evidence(sc, step).level == CONFORM_EVIDENCE_UNTAGGED) {
        snprintf(err, err_len,
                 "%s: no evidence: tag the step or its scenario \"documented\" (with \"cite\") "
                 "or \"inferred\" (with \"why\")",
                 where);
        return false;
    }
    return true;
}

/* A scenario's own mock: {"args": ["--variant", "vendor.name=value", ...]}. Only a scenario that
 * never runs against a live target may ask for one. */
static bool load_mock_args(struct conform_scenario *sc, const cJSON *mock, const char *path,
                           char *err, size_t err_len)
{
    if (!mock)
        return true;
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(mock, "args");
    bool ok = cJSON_IsObject(mock) && cJSON_GetArraySize(mock) == 1 && cJSON_IsArray(args);
    const cJSON *a;
    cJSON_ArrayForEach(a, (ok ? args : NULL))
        ok = ok && cJSON_IsString(a);
    if (!ok) {
        snprintf(err, err_len, "%s: scenario %s: \"mock\" must be {\"args\": [strings]}", path,
                 sc->id);
        return false;
    }
    if (!conform_scenario_has_tag(sc, "mock-only")) {
        snprintf(err, err_len,
                 "%s: scenario %s has a mock of its own, so it must be tagged mock-only", path,
                 sc->id);
        return false;
    }
    sc->mock_args = args;
    return true;
}

/* "rate_limit": {"calls_per_second": N} with the evidence for it (the page that documents it). */
static bool load_rate_limit(struct conform_suite *suite, char *err, size_t err_len)
{
    const cJSON *limit = cJSON_GetObjectItemCaseSensitive(suite->doc, "rate_limit");
    if (!limit)
        return true;
    const cJSON *rate = cJSON_GetObjectItemCaseSensitive(limit, "calls_per_second");
    char where[512];
    snprintf(where, sizeof(where), "%s: rate_limit", suite->path);
    if (!cJSON_IsNumber(rate) || !(rate->valuedouble > 0)) {
        snprintf(err, err_len, "%s: needs \"calls_per_second\", a number above 0", where);
        return false;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, limit) {
        if (strcmp(item->string, "calls_per_second") != 0 &&
            strcmp(item->string, "evidence") != 0 && strcmp(item->string, "cite") != 0 &&
            strcmp(item->string, "why") != 0) {
            snprintf(err, err_len, "%s: unknown key \"%s\"", where, item->string);
            return false;
        }
    }
    if (!conform_evidence_check(limit, suite->vendor, where, err, err_len))
        return false;
    suite->calls_per_second = rate->valuedouble;
    return true;
}

static bool load_scenario(struct conform_scenario *sc, const cJSON *obj, const char *path,
                          const char *vendor, unsigned flags, size_t index, char *err,
                          size_t err_len)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "id");
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(obj, "description");
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(obj, "tags");
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(obj, "steps");
    if (!cJSON_IsString(id) || !id->valuestring[0] || !cJSON_IsString(desc)) {
        snprintf(err, err_len, "%s: scenario %zu needs a string \"id\" and \"description\"", path,
                 index);
        return false;
    }
    if (!cJSON_IsArray(steps) || cJSON_GetArraySize(steps) == 0) {
        snprintf(err, err_len, "%s: scenario %s needs a non-empty \"steps\" array", path,
                 id->valuestring);
        return false;
    }
    if (tags && !cJSON_IsArray(tags)) {
        snprintf(err, err_len, "%s: scenario %s: \"tags\" must be an array of strings", path,
                 id->valuestring);
        return false;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, obj) {
        if (!known(scenario_keys, item->string)) {
            snprintf(err, err_len, "%s: scenario %s: unknown key \"%s\"", path, id->valuestring,
                     item->string);
            return false;
        }
    }
    char where[512];
    snprintf(where, sizeof(where), "%s: scenario %s", path, id->valuestring);
    if (!conform_evidence_check(obj, vendor, where, err, err_len))
        return false;
    sc->evidence = conform_evidence_of(obj);
    sc->id = strdup(id->valuestring);
    sc->description = strdup(desc->valuestring);
    sc->steps = steps;
    size_t ntags = (size_t)cJSON_GetArraySize(tags);
    sc->tags = calloc(ntags ? ntags : 1, sizeof(*sc->tags));
    if (!sc->id || !sc->description || !sc->tags) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    const cJSON *t;
    cJSON_ArrayForEach(t, tags) {
        if (!cJSON_IsString(t)) {
            snprintf(err, err_len, "%s: scenario %s: tags must be strings", path, sc->id);
            return false;
        }
        if (!(sc->tags[sc->tag_count++] = strdup(t->valuestring))) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
    }
    if (!load_mock_args(sc, cJSON_GetObjectItemCaseSensitive(obj, "mock"), path, err, err_len))
        return false;
    const cJSON *step;
    size_t n = 0;
    cJSON_ArrayForEach(step, steps) {
        snprintf(where, sizeof(where), "%s: scenario %s, step %zu", path, sc->id, ++n);
        if (!check_step(sc, step, vendor, flags, where, err, err_len))
            return false;
    }
    return true;
}

bool conform_suite_load(struct conform_suite *suite, const char *path, char *err, size_t err_len)
{
    return conform_suite_load_with(suite, path, CONFORM_LOAD_DEFAULT, err, err_len);
}

bool conform_suite_load_with(struct conform_suite *suite, const char *path, unsigned flags,
                             char *err, size_t err_len)
{
    memset(suite, 0, sizeof(*suite));
    size_t len = 0;
    char *text = read_all(path, &len);
    if (!text) {
        snprintf(err, err_len, "cannot read suite %s", path);
        return false;
    }
    suite->doc = cJSON_ParseWithLength(text, len);
    free(text);
    suite->path = strdup(path);
    if (!cJSON_IsObject(suite->doc)) {
        snprintf(err, err_len, "%s is not a JSON object", path);
        conform_suite_free(suite);
        return false;
    }
    const cJSON *vendor = cJSON_GetObjectItemCaseSensitive(suite->doc, "vendor");
    const cJSON *scenarios = cJSON_GetObjectItemCaseSensitive(suite->doc, "scenarios");
    suite->mock = cJSON_GetObjectItemCaseSensitive(suite->doc, "mock");
    if (!cJSON_IsString(vendor) || !cJSON_IsArray(scenarios) || !cJSON_IsObject(suite->mock)) {
        snprintf(err, err_len, "%s: needs \"vendor\", a \"mock\" object and a \"scenarios\" array",
                 path);
        conform_suite_free(suite);
        return false;
    }
    suite->vendor = strdup(vendor->valuestring);
    if (suite->vendor && !load_rate_limit(suite, err, err_len)) {
        conform_suite_free(suite);
        return false;
    }
    size_t n = (size_t)cJSON_GetArraySize(scenarios);
    suite->scenarios = calloc(n ? n : 1, sizeof(*suite->scenarios));
    if (!suite->vendor || !suite->path || !suite->scenarios) {
        snprintf(err, err_len, "out of memory");
        conform_suite_free(suite);
        return false;
    }
    const cJSON *obj;
    cJSON_ArrayForEach(obj, scenarios) {
        struct conform_scenario *sc = &suite->scenarios[suite->scenario_count++];
        if (!load_scenario(sc, obj, path, suite->vendor, flags, suite->scenario_count, err,
                           err_len)) {
            conform_suite_free(suite);
            return false;
        }
        for (size_t i = 0; i + 1 < suite->scenario_count; i++)
            if (strcmp(suite->scenarios[i].id, sc->id) == 0) {
                snprintf(err, err_len, "%s: scenario id %s appears twice", path, sc->id);
                conform_suite_free(suite);
                return false;
            }
    }
    return true;
}

void conform_suite_free(struct conform_suite *suite)
{
    for (size_t i = 0; i < suite->scenario_count; i++) {
        struct conform_scenario *sc = &suite->scenarios[i];
        free(sc->id);
        free(sc->description);
        for (size_t t = 0; t < sc->tag_count; t++)
            free(sc->tags[t]);
        free(sc->tags);
    }
    free(suite->scenarios);
    free(suite->vendor);
    free(suite->path);
    cJSON_Delete(suite->doc);
    memset(suite, 0, sizeof(*suite));
}

bool conform_scenario_has_tag(const struct conform_scenario *sc, const char *tag)
{
    for (size_t i = 0; i < sc->tag_count; i++)
        if (strcmp(sc->tags[i], tag) == 0)
            return true;
    return false;
}
