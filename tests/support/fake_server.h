/* A scriptable HTTP server on 127.0.0.1 for testing the client against servers that misbehave
 * the ways a vendor's can: a callback decides each answer (status, headers, body, a delay, or no
 * answer at all), and the server remembers what it was sent, so a test can look for a secret in
 * what the client printed knowing exactly what went over the wire. One thread per connection: a
 * delayed answer holds up nothing else. */
#ifndef CDRSIM_FAKE_SERVER_H
#define CDRSIM_FAKE_SERVER_H

#include <stdbool.h>
#include <stddef.h>

/* One request as it arrived; valid during the answer callback only. */
struct fake_request {
    int index; /* 0-based, in arrival order */
    const char *method;
    const char *path;    /* without the query */
    const char *args;    /* the query's arguments, decoded, as "name=value\n" lines */
    const char *headers; /* "Name: value\n" lines */
    const char *body;    /* NUL-terminated */
    size_t body_len;
};

/* The value of a query argument (decoded) or NULL; copied into out (out_len bytes). */
const char *fake_request_arg(const struct fake_request *req, const char *name, char *out,
                             size_t out_len);

#define FAKE_MAX_HEADERS 8

/* What to answer. The callback gets it zeroed but for status 200 and content type JSON. */
struct fake_reply {
    unsigned status;
    const char *content_type;
    char *body;                                /* malloc'd, taken by the server; NULL: empty */
    const char *headers[2 * FAKE_MAX_HEADERS]; /* name, value pairs; unused slots NULL */
    long delay_ms;                             /* wait this long before answering */
    bool drop;                                 /* close the connection without an answer */
};

typedef void (*fake_answer_fn)(void *user, const struct fake_request *req,
                               struct fake_reply *reply);

struct fake_server;

/* Listens on an ephemeral loopback port; fails the test when it cannot. Calls to answer are
 * serialised. */
struct fake_server *fake_server_start(fake_answer_fn answer, void *user);
/* Stops listening (waiting for delayed answers) and frees the server; NULL is fine. */
void fake_server_stop(struct fake_server *s);
/* "http://127.0.0.1:PORT" */
const char *fake_server_url(const struct fake_server *s);
/* Requests answered or dropped so far. */
int fake_server_requests(struct fake_server *s);
/* Everything request i carried (method, path, arguments, headers, body) as one text, for looking
 * for secrets in (caller frees); NULL when there was no such request. */
char *fake_server_seen(struct fake_server *s, int i);

#endif
