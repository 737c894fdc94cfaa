/* The JSON report, for tools: the summary, every scenario with its messages, drift, departures
 * and notes, what the run calibrated, and what it ran with. */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "cdrsim/cdrsim.h"
#include "cdrsim/timefmt.h"
#include "conform.h"

static const char *severity_name(enum conform_severity s)
{
    return s == CONFORM_BREAKING ? "breaking" : "additive";
}

/* Text lines as an array of strings. */
static cJSON *lines(const char *text)
{
    cJSON *list = cJSON_CreateArray();
    for (const char *line = text; list && line && *line;) {
        size_t len = strcspn(line, "\n");
        char *copy = strndup(line, len);
        cJSON_AddItemToArray(list, cJSON_CreateString(copy ? copy : ""));
        free(copy);
        line += len + (line[len] == '\n');
    }
    return list;
}

static cJSON *string_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *drift_json(const struct conform_findings *drift)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t k = 0; list && k < drift->count; k++) {
        const struct conform_finding *f = &drift->items[k];
        cJSON *d = cJSON_CreateObject();
        cJSON_AddItemToArray(list, d);
        cJSON_AddStringToObject(d, "path", f->path);
        cJSON_AddStringToObject(d, "kind", f->kind);
        cJSON_AddStringToObject(d, "severity", severity_name(f->severity));
        cJSON_AddStringToObject(d, "expected", f->expected);
        cJSON_AddStringToObject(d, "seen", f->seen);
        cJSON_AddNumberToObject(d, "count", f->count);
        if (f->source)
            cJSON_AddStringToObject(d, "source", f->source);
    }
    return list;
}

static cJSON *departures_json(const struct conform_outcome *o)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t k = 0; list && k < o->departure_count; k++) {
        const struct conform_departure *x = &o->departures[k];
        cJSON *d = cJSON_CreateObject();
        cJSON_AddItemToArray(list, d);
        cJSON_AddNumberToObject(d, "step", (double)x->step);
        cJSON_AddStringToObject(d, "label", x->label ? x->label : "");
        /* What was expected as the suite wrote it (an object), or the check that ran. */
        cJSON *expected = x->expected ? cJSON_Parse(x->expected) : NULL;
        cJSON_AddItemToObject(d, "expected", expected ? expected : string_or_null(x->expected));
        cJSON_AddItemToObject(d, "seen", string_or_null(x->seen));
        cJSON_AddItemToObject(d, "messages", lines(x->messages));
        cJSON_AddItemToObject(d, "why", string_or_null(x->why));
        cJSON_AddItemToObject(d, "variants",
                              x->variants && x->variants->child ? cJSON_Duplicate(x->variants, true)
                                                                : cJSON_CreateNull());
    }
    return list;
}

static cJSON *scenario_json(const struct conform_outcome *o)
{
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "vendor", o->vendor);
    cJSON_AddStringToObject(s, "id", o->scenario->id);
    cJSON_AddStringToObject(s, "description", o->scenario->description);
    cJSON *tags = cJSON_AddArrayToObject(s, "tags");
    for (size_t t = 0; t < o->scenario->tag_count; t++)
        cJSON_AddItemToArray(tags, cJSON_CreateString(o->scenario->tags[t]));
    cJSON_AddStringToObject(s, "evidence", conform_evidence_name(o->scenario->evidence.level));
    cJSON_AddStringToObject(s, "status", conform_status_name(o->status));
    cJSON_AddNumberToObject(s, "duration_ms", o->duration_ms);
    cJSON_AddNumberToObject(s, "requests", (double)o->requests);
    cJSON_AddItemToObject(s, "messages", lines(o->messages));
    if (o->skip_reason)
        cJSON_AddStringToObject(s, "skip_reason", o->skip_reason);
    cJSON_AddItemToObject(s, "drift", drift_json(&o->drift));
    cJSON_AddItemToObject(s, "departures", departures_json(o));
    cJSON_AddItemToObject(s, "notes", lines(o->notes));
    return s;
}

bool conform_report_json(const struct conform_run *run, const char *path)
{
    cJSON *root = cJSON_CreateObject();
    size_t counts[4], breaking, additive;
    conform_run_counts(run, counts, &breaking, &additive);
    cJSON_AddStringToObject(root, "tool", "cdrsim-conform " CDRSIM_VERSION);
    cJSON_AddStringToObject(root, "target", run->target);
    char started[CDR_RFC3339_LEN + 1];
    cdr_time_format_rfc3339(run->started, started);
    cJSON_AddStringToObject(root, "started", started);
    cJSON_AddItemToObject(root, "variants",
                          run->variants ? cJSON_Duplicate(run->variants, true)
                                        : cJSON_CreateObject());
    cJSON *summary = cJSON_AddObjectToObject(root, "summary");
    cJSON_AddNumberToObject(summary, "passed", (double)counts[CONFORM_PASSED]);
    /* failed counts every scenario that did not pass; errors those of them that could not run. */
    cJSON_AddNumberToObject(summary, "failed",
                            (double)(counts[CONFORM_FAILED] + counts[CONFORM_ERROR]));
    cJSON_AddNumberToObject(summary, "errors", (double)counts[CONFORM_ERROR]);
    cJSON_AddNumberToObject(summary, "skipped", (double)counts[CONFORM_SKIPPED]);
    cJSON_AddNumberToObject(summary, "breaking_drift", (double)breaking);
    cJSON_AddNumberToObject(summary, "additive_drift", (double)additive);
    cJSON_AddNumberToObject(summary, "departures", (double)conform_run_departures(run));
    cJSON_AddNumberToObject(summary, "duration_ms", run->duration_ms);
    cJSON *list = cJSON_AddArrayToObject(root, "scenarios");
    for (size_t i = 0; i < run->count; i++)
        cJSON_AddItemToArray(list, scenario_json(&run->outcomes[i]));
    cJSON *calibration = conform_calibration(run);
    if (calibration)
        cJSON_AddItemToObject(root, "calibration", calibration);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return false;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, text);
    cdr_buf_puts(&b, "\n");
    free(text);
    bool ok = conform_report_write(path, &b);
    cdr_buf_free(&b);
    return ok;
}
