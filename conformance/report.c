/* Reports of a run: a summary for people, JUnit XML for CI, JSON for tools. */
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

void conform_run_free(struct conform_run *run)
{
    for (size_t i = 0; i < run->count; i++) {
        free(run->outcomes[i].messages);
        free(run->outcomes[i].skip_reason);
        conform_findings_free(&run->outcomes[i].drift);
    }
    free(run->outcomes);
    for (size_t i = 0; i < run->suite_count; i++)
        conform_suite_free(&run->suites[i]);
    free(run->suites);
    free(run->target);
    memset(run, 0, sizeof(*run));
}

static const char *severity_name(enum conform_severity s)
{
    return s == CONFORM_BREAKING ? "breaking" : "additive";
}

/* ---- text ------------------------------------------------------------------------------------ */

void conform_report_text(const struct conform_run *run, FILE *out)
{
    for (size_t i = 0; i < run->count; i++) {
        const struct conform_outcome *o = &run->outcomes[i];
        static const char *const marks[] = {"PASS", "FAIL", "SKIP", "ERR "};
        fprintf(out, "%s  %-8s %-40s %7.0f ms  %s\n", marks[o->status], o->vendor, o->scenario->id,
                o->duration_ms, o->scenario->description);
        if (o->status == CONFORM_SKIPPED && o->skip_reason)
            fprintf(out, "        skipped: %s\n", o->skip_reason);
        for (const char *line = o->messages; line && *line;) {
            size_t len = strcspn(line, "\n");
            fprintf(out, "        %.*s\n", (int)len, line);
            line += len + (line[len] == '\n');
        }
        for (size_t k = 0; k < o->drift.count; k++) {
            const struct conform_finding *f = &o->drift.items[k];
            if (f->severity == CONFORM_ADDITIVE)
                fprintf(out, "        additive drift: %s %s: %s (%u response%s)\n", f->path,
                        f->kind, f->seen, f->count, f->count == 1 ? "" : "s");
        }
    }
    size_t counts[4], breaking, additive;
    conform_run_counts(run, counts, &breaking, &additive);
    fprintf(out,
            "\n%zu passed, %zu failed, %zu skipped against %s in %.1f s; drift: %zu breaking, %zu "
            "additive\n",
            counts[CONFORM_PASSED], counts[CONFORM_FAILED] + counts[CONFORM_ERROR],
            counts[CONFORM_SKIPPED], run->target, run->duration_ms / 1000.0, breaking, additive);
}

/* ---- JUnit ----------------------------------------------------------------------------------- */

static void xml_text(struct cdr_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            cdr_buf_puts(b, "&lt;");
            break;
        case '>':
            cdr_buf_puts(b, "&gt;");
            break;
        case '&':
            cdr_buf_puts(b, "&amp;");
            break;
        case '"':
            cdr_buf_puts(b, "&quot;");
            break;
        default:
            /* XML 1.0 has no place for other control characters. */
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' && *s != '\r')
                cdr_buf_puts(b, "?");
            else
                cdr_buf_append(b, s, 1);
        }
    }
}

static bool write_file(const char *path, const struct cdr_buf *b)
{
    if (b->failed)
        return false;
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(b->data, 1, b->len, f) == b->len;
    if (f != stdout)
        ok = fclose(f) == 0 && ok;
    return ok;
}

bool conform_report_junit(const struct conform_run *run, const char *path)
{
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(
        &b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cdrsim-conform\">\n");
    for (size_t s = 0; s < run->suite_count; s++) {
        const char *vendor = run->suites[s].vendor;
        size_t tests = 0, failures = 0, skipped = 0;
        double time = 0;
        for (size_t i = 0; i < run->count; i++) {
            const struct conform_outcome *o = &run->outcomes[i];
            if (strcmp(o->vendor, vendor) != 0)
                continue;
            tests++;
            failures += o->status == CONFORM_FAILED || o->status == CONFORM_ERROR;
            skipped += o->status == CONFORM_SKIPPED;
            time += o->duration_ms / 1000.0;
        }
        cdr_buf_puts(&b, "  <testsuite name=\"");
        xml_text(&b, vendor);
        cdr_buf_printf(
            &b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.3f\">\n",
            tests, failures, skipped, time);
        for (size_t i = 0; i < run->count; i++) {
            const struct conform_outcome *o = &run->outcomes[i];
            if (strcmp(o->vendor, vendor) != 0)
                continue;
            cdr_buf_puts(&b, "    <testcase classname=\"");
            xml_text(&b, vendor);
            cdr_buf_puts(&b, "\" name=\"");
            xml_text(&b, o->scenario->id);
            cdr_buf_printf(&b, "\" time=\"%.3f\">\n", o->duration_ms / 1000.0);
            if (o->status == CONFORM_SKIPPED) {
                cdr_buf_puts(&b, "      <skipped message=\"");
                xml_text(&b, o->skip_reason);
                cdr_buf_puts(&b, "\"/>\n");
            } else if (o->status != CONFORM_PASSED) {
                cdr_buf_puts(&b, "      <failure message=\"");
                char first[256];
                size_t len = strcspn(o->messages, "\n");
                if (len >= sizeof(first)) {
                    len = sizeof(first) - 1;
                    /* Cut between characters: half a UTF-8 sequence makes the whole file invalid.
                     */
                    while (len > 0 && ((unsigned char)o->messages[len] & 0xC0) == 0x80)
                        len--;
                }
                snprintf(first, sizeof(first), "%.*s", (int)len, o->messages);
                xml_text(&b, first);
                cdr_buf_puts(&b, "\">");
                xml_text(&b, o->scenario->description);
                cdr_buf_puts(&b, "\n");
                xml_text(&b, o->messages);
                cdr_buf_puts(&b, "</failure>\n");
            }
            bool additive = false;
            for (size_t k = 0; k < o->drift.count; k++)
                additive = additive || o->drift.items[k].severity == CONFORM_ADDITIVE;
            if (additive) {
                cdr_buf_puts(&b, "      <system-out>");
                for (size_t k = 0; k < o->drift.count; k++) {
                    const struct conform_finding *f = &o->drift.items[k];
                    if (f->severity != CONFORM_ADDITIVE)
                        continue;
                    cdr_buf_puts(&b, "additive drift: ");
                    xml_text(&b, f->path);
                    cdr_buf_puts(&b, " ");
                    xml_text(&b, f->kind);
                    cdr_buf_puts(&b, ": ");
                    xml_text(&b, f->seen);
                    cdr_buf_printf(&b, " (%u)\n", f->count);
                }
                cdr_buf_puts(&b, "</system-out>\n");
            }
            cdr_buf_puts(&b, "    </testcase>\n");
        }
        cdr_buf_puts(&b, "  </testsuite>\n");
    }
    cdr_buf_puts(&b, "</testsuites>\n");
    bool ok = write_file(path, &b);
    cdr_buf_free(&b);
    return ok;
}

/* ---- JSON ------------------------------------------------------------------------------------ */

bool conform_report_json(const struct conform_run *run, const char *path)
{
    cJSON *root = cJSON_CreateObject();
    size_t counts[4], breaking, additive;
    conform_run_counts(run, counts, &breaking, &additive);
    cJSON_AddStringToObject(root, "target", run->target);
    cJSON *summary = cJSON_AddObjectToObject(root, "summary");
    cJSON_AddNumberToObject(summary, "passed", (double)counts[CONFORM_PASSED]);
    cJSON_AddNumberToObject(summary, "failed",
                            (double)(counts[CONFORM_FAILED] + counts[CONFORM_ERROR]));
    cJSON_AddNumberToObject(summary, "skipped", (double)counts[CONFORM_SKIPPED]);
    cJSON_AddNumberToObject(summary, "breaking_drift", (double)breaking);
    cJSON_AddNumberToObject(summary, "additive_drift", (double)additive);
    cJSON_AddNumberToObject(summary, "duration_ms", run->duration_ms);
    cJSON *list = cJSON_AddArrayToObject(root, "scenarios");
    for (size_t i = 0; i < run->count; i++) {
        const struct conform_outcome *o = &run->outcomes[i];
        cJSON *s = cJSON_CreateObject();
        cJSON_AddItemToArray(list, s);
        cJSON_AddStringToObject(s, "vendor", o->vendor);
        cJSON_AddStringToObject(s, "id", o->scenario->id);
        cJSON_AddStringToObject(s, "description", o->scenario->description);
        cJSON *tags = cJSON_AddArrayToObject(s, "tags");
        for (size_t t = 0; t < o->scenario->tag_count; t++)
            cJSON_AddItemToArray(tags, cJSON_CreateString(o->scenario->tags[t]));
        cJSON_AddStringToObject(s, "status", conform_status_name(o->status));
        cJSON_AddNumberToObject(s, "duration_ms", o->duration_ms);
        cJSON_AddNumberToObject(s, "requests", (double)o->requests);
        cJSON *messages = cJSON_AddArrayToObject(s, "messages");
        for (const char *line = o->messages; line && *line;) {
            size_t len = strcspn(line, "\n");
            char *copy = strndup(line, len);
            cJSON_AddItemToArray(messages, cJSON_CreateString(copy ? copy : ""));
            free(copy);
            line += len + (line[len] == '\n');
        }
        if (o->skip_reason)
            cJSON_AddStringToObject(s, "skip_reason", o->skip_reason);
        cJSON *drift = cJSON_AddArrayToObject(s, "drift");
        for (size_t k = 0; k < o->drift.count; k++) {
            const struct conform_finding *f = &o->drift.items[k];
            cJSON *d = cJSON_CreateObject();
            cJSON_AddItemToArray(drift, d);
            cJSON_AddStringToObject(d, "path", f->path);
            cJSON_AddStringToObject(d, "kind", f->kind);
            cJSON_AddStringToObject(d, "severity", severity_name(f->severity));
            cJSON_AddStringToObject(d, "expected", f->expected);
            cJSON_AddStringToObject(d, "seen", f->seen);
            cJSON_AddNumberToObject(d, "count", f->count);
            if (f->source)
                cJSON_AddStringToObject(d, "source", f->source);
        }
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return false;
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_puts(&b, text);
    cdr_buf_puts(&b, "\n");
    free(text);
    bool ok = write_file(path, &b);
    cdr_buf_free(&b);
    return ok;
}
