/* The normalized call detail record every vendor's parser produces. Its JSON form (one object per
 * line) is a stable contract: the CLI prints it and downstream tools read it. */
#ifndef CDRSIM_RECORD_H
#define CDRSIM_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CDR_TIME_NONE INT64_MIN /* instant absent (call not answered, still up) */
#define CDR_SECONDS_NONE (-1)   /* duration absent */

enum cdr_direction {
    CDR_DIRECTION_UNKNOWN,
    CDR_DIRECTION_INBOUND,
    CDR_DIRECTION_OUTBOUND,
    CDR_DIRECTION_INTERNAL
};
enum cdr_hangup_by { CDR_HANGUP_UNKNOWN, CDR_HANGUP_CUSTOMER, CDR_HANGUP_AGENT, CDR_HANGUP_SYSTEM };

/* Every string member is owned by the record (NULL = JSON null); cdr_record_free releases them. */
struct cdr_record {
    const char *vendor; /* static vendor id, "itnio" */
    char *id;           /* the vendor's record id, as text */
    char *call_id;
    enum cdr_direction direction;
    char *caller;
    char *callee;
    char *agent;
    char *group;
    int64_t start_time; /* Unix seconds UTC, or CDR_TIME_NONE */
    int64_t answer_time;
    int64_t end_time;
    int64_t ring_seconds; /* or CDR_SECONDS_NONE */
    int64_t talk_seconds;
    enum cdr_hangup_by hangup_by;
    char **recording_urls;
    size_t recording_url_count;
    char *raw_json; /* the vendor's record object, compact JSON, for every field not mapped above */
    /* Byte lengths of the text members, which matter for a value holding a NUL byte (a vendor's
     * "\u0000"): the parsers set them; 0 means the member ends at its first NUL, as a C string
     * does. cdr_record_to_json writes every byte, a NUL as \u0000. */
    struct cdr_record_lengths {
        size_t id, call_id, caller, callee, agent, group;
    } len;
};

/* Called for each record of a fetch; return non-zero to stop early (the fetch then succeeds). */
typedef int (*cdr_record_fn)(void *user, const struct cdr_record *rec);

/* The clock that stamps signed requests; returns Unix seconds. NULL in options means time(NULL). */
typedef int64_t (*cdr_clock_fn)(void *user);

void cdr_record_init(struct cdr_record *rec);
void cdr_record_free(struct cdr_record *rec);
/* Appends a copy of url; returns 0, or -1 when out of memory. */
int cdr_record_add_recording_url(struct cdr_record *rec, const char *url);

const char *cdr_direction_name(enum cdr_direction d);
const char *cdr_hangup_by_name(enum cdr_hangup_by h);

/* The bytes of a text member of rec: its length member when set, else up to its first NUL. */
size_t cdr_record_text_len(const char *text, size_t len);

/* The record as one compact JSON object (no newline), keys in contract order, every text member
 * whole (cdr_record_lengths). Caller frees; NULL when out of memory. With include_raw, a final
 * "raw" member carries raw_json. */
char *cdr_record_to_json(const struct cdr_record *rec, int include_raw);

struct cdr_buf;
/* The same object appended to b (cdrsim/buf.h), for a writer that reuses one buffer across
 * records; false when b has failed (out of memory). */
bool cdr_record_append_json(struct cdr_buf *b, const struct cdr_record *rec, int include_raw);

#ifdef __cplusplus
}
#endif

#endif
