/* The plain response every mock handler returns. */
#ifndef MOCK_RESPONSE_H
#define MOCK_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MOCK_MAX_RESPONSE_HEADERS 16

struct mock_header {
    char *name;
    char *value;
};

/* Long-poll bookkeeping: plain values, no pointers into vendor state, because a reset may swap
 * the vendors' states between two retries. */
struct mock_poll {
    bool started;       /* false on the first call of a request */
    int64_t started_ms; /* the handler's own note: when the poll began on the mock's clock */
    int64_t waited_ms;  /* total retry_after_ms the HTTP layer has slept for this request */
    /* The server's note on the first call, for the request journal: when the request arrived on
     * the mock's clock and on the monotonic clock (its latency is measured from there). */
    int64_t arrived_ms;
    int64_t arrived_us;
};

/* Arguments an admission's reason may keep unformatted (see struct mock_auth). */
#define MOCK_AUTH_MAX_ARGS 4

/* The vendor's own verdict on who called (its auth.c reports it through mock_request_auth), for
 * the request journal. Never holds a secret: no expected signature, token or password. Its words
 * are read with mock_auth_reason. An admission, made on every good request and rarely read, keeps
 * its format and arguments instead of formatting them: format is then set, reason holds the
 * string arguments one after the other (each NUL-terminated) and numbers the integer ones. */
struct mock_auth {
    bool checked; /* false: the request never reached the vendor's check (unknown route...) */
    bool ok;
    const char *format; /* NULL: reason holds the words */
    long long numbers[MOCK_AUTH_MAX_ARGS];
    char reason[256];
};

/* How the HTTP layer delivers a response, when not simply at once and whole: what a fault asks
 * for. Plain values, filled by whoever decides (the faults), carried out by the HTTP layer without
 * holding a worker thread while it waits. All zero = deliver normally. */
struct mock_delivery {
    int delay_ms; /* answer only after this long (the connection is suspended meanwhile) */
    bool reset;   /* close the connection without any answer */
    size_t
        truncate_bytes; /* > 0: promise the full Content-Length, send this many body bytes, close */
    size_t dribble_bytes;    /* > 0: send the body this many bytes at a time ... */
    int dribble_interval_ms; /* ... pausing this long between chunks */
};

/* Which fault rule changed an answer and how (id "" when none). */
struct mock_fault_note {
    char id[24];
    char kind[24];
};

struct mock_response {
    int status;
    char *body; /* owned, malloc'd; NULL = empty */
    size_t body_len;
    const char *content_type;                              /* static string */
    struct mock_header headers[MOCK_MAX_RESPONSE_HEADERS]; /* owned copies */
    size_t header_count;
    /* For the access log: which vendor answered and the code in its body ("-22", "1002"). */
    const char *vendor;
    char vendor_code[48];
    /* Long poll: a handler with nothing to answer yet sets this (and no body); the HTTP layer
     * calls it again after that many milliseconds, without holding any lock meanwhile. */
    int retry_after_ms;
    /* Carried across the retries of one request (mock_response_retry), so a handler can tell a
     * fresh request from a retry and end a long poll on time. Zero on a fresh request. */
    struct mock_poll poll;
    struct mock_delivery delivery;
    struct mock_auth auth;
    /* For the journal: the fault that changed this answer, if one did. */
    struct mock_fault_note fault;
};

void mock_response_init(struct mock_response *resp);
void mock_response_free(struct mock_response *resp);
/* Between two calls of a long-poll handler: frees what the last call produced, keeps resp->poll
 * and adds the wait about to be slept to poll.waited_ms. Returns that wait in milliseconds. */
int mock_response_retry(struct mock_response *resp);

/* Takes ownership of body (malloc'd). Replaces any previous body. */
void mock_response_take_body(struct mock_response *resp, int status, const char *content_type,
                             char *body, size_t len);
/* Copies body. Returns false (and answers 500) when out of memory. */
bool mock_response_set_body(struct mock_response *resp, int status, const char *content_type,
                            const char *body, size_t len);
bool mock_response_json(struct mock_response *resp, int status, const char *json);
bool mock_response_add_header(struct mock_response *resp, const char *name, const char *value);
/* The vendor's own code for the log line. */
void mock_response_code(struct mock_response *resp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
