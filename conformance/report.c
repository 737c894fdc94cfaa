/* Reports of a run: a summary for people (here), JUnit XML for CI (report_junit.c), JSON for
 * tools (report_json.c). */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/buf.h"
#include "conform.h"

const char *conform_status_name(enum conform_status s)
{
    switch (s) {
    case CONFORM_PASSED:
        return "passed";
    case CONFORM_FAILED:
        return "failed";
    case CONFORM_SKIPPED:
        return "skipped";
    case CONFORM_ERROR:
        return "error";
    }
    return "unknown";
}

void conform_run_counts(const struct conform_run *run, size_t counts[4], size_t *breaking,
                        size_t *additive)
{
    memset(counts, 0, 4 * sizeof(*counts));
    *breaking = *additive = 0;
    for (size_t i = 0; i < run->count; i++) {
        const struct conform_outcome *o = &run->outcomes[i];
        counts[o->status]++;
        for (size_t k = 0; k < o->drift.count; k++)
            *(o->drift.items[k].severity == CONFORM_BREAKING ? breaking : additive) += 1;
    }
}

size_t conform_run_departures(const struct conform_run *run)
{
    size_t n = 0;
    for (size_t i = 0; i < run->count; i++)
        n += run->outcomes[i].departure_count;
    return n;
}

void conform_run_free(struct conform_run *run)
{
    for (size_t i = 0; i < run->count; i++)
        conform_outcome_free(&run->outcomes[i]);
    free(run->outcomes);
    for (size_t i = 0; i < run->suite_count; i++)
        conform_suite_free(&run->suites[i]);
    free(run->suites);
    free(run->target);
    cJSON_Delete(run->variants);
    memset(run, 0, sizeof(*run));
}

bool conform_report_write(const char *path, const struct cdr_buf *b)
{
    if (b->failed)
        return false;
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(b->data, 1, b->len, f) == b->len;
    ok = (f == stdout ? fflush(f) == 0 : fclose(f) == 0) && ok;
    return ok;
}

/* ---- text ------------------------------------------------------------------------------------ */

/* Each line of text, indented. */
static void print_lines(FILE *out, const char *indent, const char *text)
{
    for (const char *line = text; line && *line;) {
        size_t len = strcspn(line, "\n");
        fprintf(out, "%s%.*s\n", indent, (int)len, line);
        line += len + (line[len] == '\n');
    }
}

void conform_report_text_outcome(const struct conform_outcome *o, FILE *out)
{
    static const char *const marks[] = {"PASS", "FAIL", "SKIP", "ERR "};
    fprintf(out, "%s  %-8s %-40s %7.0f ms  %s\n", marks[o->status], o->vendor, o->scenario->id,
            o->duration_ms, o->scenario->description);
    if (o->status == CONFORM_SKIPPED && o->skip_reason)
        fprintf(out, "        skipped: %s\n", o->skip_reason);
    print_lines(out, "        ", o->messages);
    for (size_t k = 0; k < o->departure_count; k++) {
        const struct conform_departure *d = &o->departures[k];
        fprintf(out, "        departure from our inference:\n");
        print_lines(out, "          ", d->messages);
        if (d->seen)
            fprintf(out, "          seen: %s\n", d->seen);
        if (d->why)
            fprintf(out, "          we inferred: %s\n", d->why);
        if (d->variants && d->variants->child) {
            fputs("          the mock behaves so with:", out);
            const cJSON *v;
            cJSON_ArrayForEach(v, d->variants) {
                char *value = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);
                fprintf(out, " --variant %s=%s", v->string, value ? value : v->valuestring);
                free(value);
            }
            fputs("\n", out);
        } else {
            fputs("          no mock variant behaves so\n", out);
        }
    }
    for (size_t k = 0; k < o->drift.count; k++) {
        const struct conform_finding *f = &o->drift.items[k];
        if (f->severity == CONFORM_ADDITIVE)
            fprintf(out, "        additive drift: %s %s: %s (%u response%s)\n", f->path, f->kind,
                    f->seen, f->count, f->count == 1 ? "" : "s");
    }
    print_lines(out, "        note: ", o->notes);
}

void conform_report_text_summary(const struct conform_run *run, FILE *out)
{
    size_t counts[4], breaking, additive;
    conform_run_counts(run, counts, &breaking, &additive);
    fprintf(out,
            "\n%zu passed, %zu failed, %zu skipped against %s in %.1f s; drift: %zu breaking, %zu "
            "additive; %zu departure%s from our inference\n",
            counts[CONFORM_PASSED], counts[CONFORM_FAILED] + counts[CONFORM_ERROR],
            counts[CONFORM_SKIPPED], run->target, run->duration_ms / 1000.0, breaking, additive,
            conform_run_departures(run), conform_run_departures(run) == 1 ? "" : "s");
    cJSON *calibration = conform_run_departures(run) ? conform_calibration(run) : NULL;
    const cJSON *u;
    cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(calibration, "uncovered"))
        fprintf(out, "no mock variant covers the departure of %s %s\n",
                cJSON_GetObjectItemCaseSensitive(u, "scenario")->valuestring,
                cJSON_GetObjectItemCaseSensitive(u, "label")->valuestring);
    cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(calibration, "conflicts"))
        fprintf(out, "departures disagree on %s: %s (kept) and %s (%s)\n",
                cJSON_GetObjectItemCaseSensitive(u, "variant")->valuestring,
                cJSON_GetObjectItemCaseSensitive(u, "kept")->valuestring,
                cJSON_GetObjectItemCaseSensitive(u, "also_implied")->valuestring,
                cJSON_GetObjectItemCaseSensitive(u, "scenario")->valuestring);
    cJSON_Delete(calibration);
}

void conform_report_text(const struct conform_run *run, FILE *out)
{
    for (size_t i = 0; i < run->count; i++)
        conform_report_text_outcome(&run->outcomes[i], out);
    conform_report_text_summary(run, out);
}
