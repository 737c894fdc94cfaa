/* The smallest HTTP/1.1 server side a webhook receiver needs (`cdrsim-client listen`, the push
 * scenarios of cdrsim-conform): a listening socket, one request
 * read whole from a connection (Content-Length or chunked body, Expect: 100-continue answered),
 * one response written, the connection closed. Plain sockets rather than libmicrohttpd: the
 * client package depends on libcurl, cJSON and OpenSSL only, and a receiver for tests and demos
 * takes one delivery at a time, as a vendor's pusher sends them. */
#ifndef CDRSIM_HTTP_RECEIVE_H
#define CDRSIM_HTTP_RECEIVE_H

#include <stdbool.h>
#include <stddef.h>

/* Requests larger than these are answered 431 / 413 and dropped. */
#define HTTP_RECEIVE_MAX_HEAD (64 * 1024)
#define HTTP_RECEIVE_MAX_BODY (16 * 1024 * 1024)
/* A sender silent this long in the middle of a request is dropped. */
#define HTTP_RECEIVE_IDLE_MS 10000

/* A listening TCP socket on bind_addr (a numeric IPv4 or IPv6 address) and port (0: any free
 * one); *bound gets the port. -1 with why written into err. */
int http_receive_listen(const char *bind_addr, int port, int *bound, char *err, size_t err_len);

struct http_receive_request {
    char method[16];
    char path[1024];
    char *body; /* owned, NUL-terminated; body_len bytes */
    size_t body_len;
};

void http_receive_request_free(struct http_receive_request *req);

/* Reads one request from a connected socket. 0 when it is whole; otherwise the status to answer
 * (400 malformed, 408 too slow, 411 no length, 413, 431, 501 an unknown transfer coding) with why
 * in err, or -1 when the peer went away (nothing to answer). */
int http_receive_read(int fd, struct http_receive_request *req, char *err, size_t err_len);

/* Writes a whole response (Connection: close); false when the peer is gone. */
bool http_receive_reply(int fd, int status, const char *content_type, const char *body);

#endif
