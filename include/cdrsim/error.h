/* Error codes of libcdrsim. Every fallible call returns a cdr_error and, when the caller passes
 * one, fills a struct cdr_error_info with what the server or the transport actually said. */
#ifndef CDRSIM_ERROR_H
#define CDRSIM_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cdr_error {
    CDR_OK = 0,
    CDR_ERR_INVALID_ARGUMENT, /* the caller's input cannot be sent (bad range, missing key) */
    CDR_ERR_NO_MEMORY,
    CDR_ERR_TRANSPORT,          /* connection refused or reset, DNS, TLS handshake */
    CDR_ERR_TIMEOUT,            /* connect or transfer timeout */
    CDR_ERR_HTTP,               /* an HTTP status the vendor API does not use for this call */
    CDR_ERR_AUTH,               /* credentials, signature or session rejected */
    CDR_ERR_TIMESTAMP,          /* request timestamp outside the server's window */
    CDR_ERR_RANGE_TOO_LARGE,    /* time range longer than the vendor allows */
    CDR_ERR_PARAMETER,          /* the vendor rejected a request parameter */
    CDR_ERR_NOT_FOUND,          /* unknown task, account, call or route */
    CDR_ERR_RATE_LIMITED,       /* throttled or quota reached */
    CDR_ERR_MALFORMED_RESPONSE, /* the response is not what the vendor documents */
    CDR_ERR_VENDOR,             /* any other vendor error: see vendor_code and message */
} cdr_error;

struct cdr_error_info {
    cdr_error code;
    long http_status; /* 0 when no HTTP response was received */
    char
        vendor_code[48]; /* the vendor's own code as text ("-76", "SignatureDoesNotMatch"), or "" */
    char message[512];   /* the vendor's text or a precise local reason */
};

/* Stable lower-case name of a code ("auth", "range_too_large"), for logs and the CLI. */
const char *cdr_error_name(cdr_error code);

/* Fills info (if not NULL) and returns code, so callers can `return cdr_error_set(...)`. */
cdr_error cdr_error_set(struct cdr_error_info *info, cdr_error code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like cdr_error_set, also recording the HTTP status and the vendor's code. */
cdr_error cdr_error_set_vendor(struct cdr_error_info *info, cdr_error code, long http_status,
                               const char *vendor_code, const char *message);

void cdr_error_clear(struct cdr_error_info *info);

/* Masks every occurrence of secret (as given, and percent-encoded) in info's message and vendor
 * code with "<redacted>": for a server that echoes a credential in its error text. A secret under
 * 8 bytes is masked only where it stands as a word of its own (not inside a longer run of letters
 * and digits), so a short one does not garble the text. A message cut inside the secret by its
 * buffer's size loses the start of the secret too. An empty or NULL secret changes nothing. */
void cdr_error_redact(struct cdr_error_info *info, const char *secret);

#ifdef __cplusplus
}
#endif

#endif
