/* The mock's own HTTP/1.1 client, just enough to push a JSON body to a webhook: POST over a plain
 * socket (http:// only; the mock does not link libcurl), one request per connection, with a
 * deadline on connecting and on the whole exchange. Thread-safe: no state between calls. */
#ifndef MOCK_HTTP_POST_H
#define MOCK_HTTP_POST_H

#include <stdbool.h>
#include <stddef.h>

/* Whether url is one mock_http_post can reach: "http://host[:port][/path]", host a name, an IPv4
 * address or a bracketed IPv6 one. false with err saying what is wrong. */
bool mock_http_post_url_ok(const char *url, char *err, size_t err_len);

/* POSTs body to url with that Content-Type and waits for the status line. Returns the HTTP
 * status (100..599), or -1 with err filled (bad URL, name not found, refused, timed out, not
 * HTTP). timeout_ms bounds connecting and, separately, sending plus reading the answer. */
int mock_http_post(const char *url, const char *content_type, const char *body, size_t body_len,
                   int timeout_ms, char *err, size_t err_len);

#endif
