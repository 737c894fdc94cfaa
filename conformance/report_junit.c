/* The JUnit XML report, for CI: one testsuite per vendor, one testcase per scenario. Failed
 * scenarios and breaking drift are failures, scenarios that could not run (a mock of their own
 * that did not start) are errors; departures from our inference pass, with the departure in a
 * property and in system-out next to additive drift and the runner's notes. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cdrsim/buf.h"
#include "cdrsim/cdrsim.h"
#include "conform.h"

/* The first line of text, at most 255 bytes, cut between characters: half a UTF-8 sequence
 * makes the whole file invalid. */
static void first_line(const char *text, char out[256])
{
    size_t len = strcspn(text ? text : "", "\n");
    if (len >= 256) {
        len = 255;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    snprintf(out, 256, "%.*s", (int)len, text ? text : "");
}

static void property(struct cdr_buf *b, const char *indent, const char *name, const char *value)
{
    cdr_buf_printf(b, "%s<property name=\"", indent);
    cdr_buf_xml_text(b, name);
    cdr_buf_puts(b, "\" value=\"");
    cdr_buf_xml_text(b, value);
    cdr_buf_puts(b, "\"/>\n");
}

/* The suite's properties: where it ran, with what, and the variants the mock had. */
static void suite_properties(struct cdr_buf *b, const struct conform_run *run, const char *vendor)
{
    cdr_buf_puts(b, "    <properties>\n");
    property(b, "      ", "target", run->target);
    property(b, "      ", "tool", "cdrsim-conform " CDRSIM_VERSION);
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(run->variants, vendor)) {
        struct cdr_buf text;
        cdr_buf_init(&text);
        cdr_buf_printf(&text, "%s.%s=%s", vendor, v->string,
                       cJSON_IsString(v) ? v->valuestring : "?");
        property(b, "      ", "variant", text.data ? text.data : "");
        cdr_buf_free(&text);
    }
    cdr_buf_puts(b, "    </properties>\n");
}

static void departure_text(struct cdr_buf *b, const struct conform_departure *d)
{
    cdr_buf_puts(b, "departure from our inference: ");
    cdr_buf_xml_text(b, d->messages);
    if (d->seen) {
        cdr_buf_puts(b, "\n  seen: ");
        cdr_buf_xml_text(b, d->seen);
    }
    if (d->why) {
        cdr_buf_puts(b, "\n  we inferred: ");
        cdr_buf_xml_text(b, d->why);
    }
    const cJSON *v;
    cdr_buf_puts(b, d->variants && d->variants->child ? "\n  the mock behaves so with:"
                                                      : "\n  no mock variant behaves so");
    cJSON_ArrayForEach(v, d->variants) {
        char *value = cJSON_IsString(v) ? strdup(v->valuestring) : cJSON_PrintUnformatted(v);
        cdr_buf_puts(b, " --variant ");
        cdr_buf_xml_text(b, v->string);
        cdr_buf_puts(b, "=");
        cdr_buf_xml_text(b, value);
        free(value);
    }
    cdr_buf_puts(b, "\n");
}

static void testcase(struct cdr_buf *b, const struct conform_outcome *o)
{
    cdr_buf_puts(b, "    <testcase classname=\"");
    cdr_buf_xml_text(b, o->vendor);
    cdr_buf_puts(b, "\" name=\"");
    cdr_buf_xml_text(b, o->scenario->id);
    cdr_buf_printf(b, "\" time=\"%.3f\">\n", o->duration_ms / 1000.0);
    if (o->departure_count) {
        cdr_buf_puts(b, "      <properties>\n");
        for (size_t k = 0; k < o->departure_count; k++) {
            char line[256];
            first_line(o->departures[k].messages, line);
            property(b, "        ", "departure", line);
        }
        cdr_buf_puts(b, "      </properties>\n");
    }
    if (o->status == CONFORM_SKIPPED) {
        cdr_buf_puts(b, "      <skipped message=\"");
        cdr_buf_xml_text(b, o->skip_reason);
        cdr_buf_puts(b, "\"/>\n");
    } else if (o->status != CONFORM_PASSED) {
        const char *element = o->status == CONFORM_ERROR ? "error" : "failure";
        char line[256];
        first_line(o->messages, line);
        cdr_buf_printf(b, "      <%s message=\"", element);
        cdr_buf_xml_text(b, line);
        cdr_buf_puts(b, "\">");
        cdr_buf_xml_text(b, o->scenario->description);
        cdr_buf_puts(b, "\n");
        cdr_buf_xml_text(b, o->messages);
        cdr_buf_printf(b, "</%s>\n", element);
    }
    struct cdr_buf out;
    cdr_buf_init(&out);
    for (size_t k = 0; k < o->departure_count; k++)
        departure_text(&out, &o->departures[k]);
    for (size_t k = 0; k < o->drift.count; k++) {
        const struct conform_finding *f = &o->drift.items[k];
        if (f->severity != CONFORM_ADDITIVE)
            continue;
        cdr_buf_puts(&out, "additive drift: ");
        cdr_buf_xml_text(&out, f->path);
        cdr_buf_puts(&out, " ");
        cdr_buf_xml_text(&out, f->kind);
        cdr_buf_puts(&out, ": ");
        cdr_buf_xml_text(&out, f->seen);
        cdr_buf_printf(&out, " (%u)\n", f->count);
    }
    /* Each note a line of its own: "note: " before every line. */
    for (const char *line = o->notes; line && *line;) {
        size_t len = strcspn(line, "\n");
        cdr_buf_puts(&out, "note: ");
        cdr_buf_xml_text_len(&out, line, len);
        cdr_buf_puts(&out, "\n");
        line += len + (line[len] == '\n');
    }
    if (out.len) {
        cdr_buf_puts(b, "      <system-out>");
        cdr_buf_append(b, out.data, out.len);
        cdr_buf_puts(b, "</system-out>\n");
    }
    cdr_buf_free(&out);
    cdr_buf_puts(b, "    </testcase>\n");
}

static void testsuite(struct cdr_buf *b, const struct conform_run *run, const char *vendor,
                      const char *timestamp, const char *hostname)
{
    size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    double time = 0;
    for (size_t i = 0; i < run->count; i++) {
        const struct conform_outcome *o = &run->outcomes[i];
        if (strcmp(o->vendor, vendor) != 0)
            continue;
        tests++;
        failures += o->status == CONFORM_FAILED;
        errors += o->status == CONFORM_ERROR;
        skipped += o->status == CONFORM_SKIPPED;
        time += o->duration_ms / 1000.0;
    }
    cdr_buf_puts(b, "  <testsuite name=\"");
    cdr_buf_xml_text(b, vendor);
    cdr_buf_printf(b,
                   "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
                   "time=\"%.3f\" timestamp=\"%s\" hostname=\"",
                   tests, failures, errors, skipped, time, timestamp);
    cdr_buf_xml_text(b, hostname);
    cdr_buf_puts(b, "\">\n");
    suite_properties(b, run, vendor);
    for (size_t i = 0; i < run->count; i++)
        if (strcmp(run->outcomes[i].vendor, vendor) == 0)
            testcase(b, &run->outcomes[i]);
    cdr_buf_puts(b, "  </testsuite>\n");
}

bool conform_report_junit(const struct conform_run *run, const char *path)
{
    /* JUnit's timestamp has no zone: it is UTC here, as the docs say. */
    char timestamp[32] = "1970-01-01T00:00:00";
    time_t started = (time_t)run->started;
    struct tm tm;
    if (gmtime_r(&started, &tm))
        strftime(timestamp, sizeof(timestamp), "%Y-%m-%dT%H:%M:%S", &tm);
    char hostname[256] = "localhost";
    if (gethostname(hostname, sizeof(hostname)) != 0)
        snprintf(hostname, sizeof(hostname), "localhost");
    hostname[sizeof(hostname) - 1] = '\0';
    size_t counts[4], breaking, additive;
    conform_run_counts(run, counts, &breaking, &additive);
    struct cdr_buf b;
    cdr_buf_init(&b);
    cdr_buf_printf(
        &b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cdrsim-conform\" "
        "tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
        run->count, counts[CONFORM_FAILED], counts[CONFORM_ERROR], counts[CONFORM_SKIPPED],
        run->duration_ms / 1000.0);
    for (size_t s = 0; s < run->suite_count; s++)
        if (run->suites[s].vendor)
            testsuite(&b, run, run->suites[s].vendor, timestamp, hostname);
    cdr_buf_puts(&b, "</testsuites>\n");
    bool ok = conform_report_write(path, &b);
    cdr_buf_free(&b);
    return ok;
}
