/* A vendor's records, sorted by call start time and either pre-rendered to the vendor's JSON at
 * load time or, for records the vendor keeps compactly (generated ones), rendered when a page
 * needs them: a time-window query is two binary searches (filters: index.h), and a page is a
 * concatenation of fragments. Read-only once sorted, so any number of threads may query;
 * records added at run time (mock_store_add, then mock_store_merge_tail) change it only while
 * no query runs (the vendor's gate, gate.h). */
#ifndef MOCK_STORE_H
#define MOCK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdrsim/buf.h"
#include "fileio.h"

struct mock_store_entry {
    int64_t start;  /* call start, Unix seconds: the sort key */
    uint64_t order; /* tie-break among equal starts (the vendor's id order) */
    char *json;     /* the record rendered once, compact (never written to once added: it may lie in
                       a kept text); NULL: rendered on demand (render) */
    size_t json_len;
    void *attrs; /* the vendor's parsed filter fields */
};

struct mock_store_entry;
/* Appends the JSON of an entry kept without text (json NULL); false when out of memory. Must be
 * safe to call from any number of threads at once. */
typedef bool mock_store_render(const void *ctx, const struct mock_store_entry *entry,
                               struct cdr_buf *out);

struct mock_store {
    struct mock_store_entry *entries;
    size_t count;
    size_t cap;
    void (*free_attrs)(void *attrs);
    mock_store_render *render; /* for entries without json; NULL when every entry has it */
    const void *render_ctx;
    struct mock_file_text *kept; /* texts entries point into without owning (keep_text) */
    size_t kept_count;
};

void mock_store_init(struct mock_store *store, void (*free_attrs)(void *attrs));
/* Takes ownership of json and attrs, also when it fails (returns false when out of memory). */
bool mock_store_add(struct mock_store *store, int64_t start, uint64_t order, char *json,
                    size_t json_len, void *attrs);
/* Takes a file's text (e.g. a fixture file mapped read-only) for entries to point into:
 * mock_store_add then takes json inside it without owning it, and the whole text goes when the
 * store is freed, never entry by entry. So a dataset's records need not be copied into fresh memory
 * one by one. false when out of memory (the text is then released). *file is emptied either way. */
bool mock_store_keep_text(struct mock_store *store, struct mock_file_text *file);
/* Frees json unless it lies in a kept text: what mock_store_add does with json it does not add. */
void mock_store_release_json(const struct mock_store *store, char *json);
void mock_store_sort(struct mock_store *store);
/* After entries [0, from) were sorted and more were added: sorts the new ones into place, in one
 * pass over the old ones instead of a sort of the whole store. */
void mock_store_merge_tail(struct mock_store *store, size_t from);
/* Drops (and frees) every entry from index count on: undoes mock_store_add calls not yet
 * sorted in. */
void mock_store_truncate(struct mock_store *store, size_t count);
/* Index of the first entry with start >= t. */
size_t mock_store_lower_bound(const struct mock_store *store, int64_t t);
/* Index of the first entry with start > t. */
size_t mock_store_upper_bound(const struct mock_store *store, int64_t t);
/* Appends an entry's JSON, ready or rendered; false when out of memory. */
bool mock_store_append_json(const struct mock_store *store, const struct mock_store_entry *entry,
                            struct cdr_buf *out);
/* Every entry's JSON in store order as one JSON array, one record per line (for --dump-records).
 * Caller frees; NULL when out of memory. */
char *mock_store_dump(const struct mock_store *store);
void mock_store_free(struct mock_store *store);

#endif
