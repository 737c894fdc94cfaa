/* Everything the mock was told at start-up: flags and the --config file. Immutable once the
 * server runs; handlers read it through struct mock_env. */
#ifndef MOCK_CONFIG_H
#define MOCK_CONFIG_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mock_log_format { MOCK_LOG_TEXT, MOCK_LOG_JSON, MOCK_LOG_OFF };

struct mock_variant {
    char *vendor;
    char *name;
    char *value;
};

struct mock_generate {
    char *vendor;
    int64_t count;
};

/* The HTTP layer's settings (flags of the same names; limits documented in the README). */
struct mock_http_settings {
    unsigned threads;           /* --threads: workers; 0 = one per core */
    unsigned max_connections;   /* --max-connections: open connections at once */
    unsigned header_timeout_ms; /* --header-timeout-ms: accept to complete request headers */
    char *tls_priorities;       /* --tls-priorities: GnuTLS priority string; NULL = TLS 1.2+ */
    size_t max_url_bytes;       /* the request target (path and query) */
    size_t max_header_bytes;    /* all header fields together, "Name: value" each */
    unsigned max_header_fields;
};

struct mock_config {
    char *bind;        /* default "127.0.0.1" */
    int port;          /* default 8080; 0 = ephemeral */
    char *data_dir;    /* fixtures root */
    char *openapi_dir; /* the OpenAPI documents served under /__cdrsim/openapi/; NULL: none */
    cJSON *settings;   /* parsed --config file, or NULL: {"<vendor>": {...}} */
    bool clock_given;
    int64_t clock_start_ms; /* --clock */
    struct mock_variant *variants;
    size_t variant_count;
    struct mock_generate *generate;
    size_t generate_count;
    uint64_t seed;   /* generated datasets: default 1, so they never change with the ids below */
    bool seed_given; /* --seed: server-made ids (Guids, RequestIds) follow it too; otherwise they
                        are seeded from the time, so two fresh mocks never hand out the same ones */
    enum mock_log_format log_format;
    size_t max_body_bytes;         /* 1 MiB */
    unsigned connection_timeout_s; /* --idle-timeout */
    char *tls_cert_file;
    char *tls_key_file;
    size_t journal_capacity; /* --journal N: requests kept for /__cdrsim/requests; 0 = none */
    bool admin_enabled;      /* --admin on|off: whether /__cdrsim/ exists at all */
    char *admin_token;       /* --admin-token: admin calls need Authorization: Bearer <it> */
    /* Fault rules in force at start and after every reset: the --config file's "faults" first,
     * then each --fault flag; a JSON array of rule objects as POST /__cdrsim/faults takes them,
     * checked when the server starts. file_fault_count of them came from the file. */
    cJSON *faults;
    size_t file_fault_count;
    struct mock_http_settings http;
};

void mock_config_init(struct mock_config *cfg);
void mock_config_free(struct mock_config *cfg);
/* A deep copy of src into dst (free it with mock_config_free): what run-time variant changes
 * start from. false when out of memory (dst is then empty). */
bool mock_config_copy(struct mock_config *dst, const struct mock_config *src);

/* "VENDOR.NAME=VALUE"; later settings of the same name win. false on a malformed spec. */
bool mock_config_add_variant(struct mock_config *cfg, const char *spec);
/* Sets (value non-NULL) or removes (NULL) one variant. false when out of memory. */
bool mock_config_set_variant(struct mock_config *cfg, const char *vendor, const char *name,
                             const char *value);
/* One --fault flag's JSON rule, appended after the file's; false with err saying why when it is
 * not a JSON object (its fields are checked when the server starts, as the admin API does). */
bool mock_config_add_fault(struct mock_config *cfg, const char *json, char *err, size_t err_len);
/* Where the index-th configured rule came from, for errors: "--config faults[0]", "--fault #2". */
void mock_config_fault_origin(const struct mock_config *cfg, size_t index, char *out,
                              size_t out_len);
/* "VENDOR=N". */
bool mock_config_add_generate(struct mock_config *cfg, const char *spec);
/* Reads the JSON --config file; its "<vendor>": {"variants": {...}} entries are added before any
 * --variant flag, so flags override the file. Its "faults": [...] go before any --fault flag. */
bool mock_config_load_file(struct mock_config *cfg, const char *path, char *err, size_t err_len);

/* An unsigned decimal no larger than max, as flags and admin filters take numbers: no sign, no
 * trailing text. false for anything else. */
bool mock_parse_unsigned(const char *text, unsigned long long max, unsigned long long *out);

/* The variant's value, or NULL when not set. */
const char *mock_config_variant(const struct mock_config *cfg, const char *vendor,
                                const char *name);
/* Records to generate for the vendor, or -1 to load its fixtures. */
int64_t mock_config_generate_count(const struct mock_config *cfg, const char *vendor);
/* This vendor's object of the --config file, or NULL. */
const cJSON *mock_config_vendor_settings(const struct mock_config *cfg, const char *vendor);

#endif
