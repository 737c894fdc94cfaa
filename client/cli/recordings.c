/* fetch ... --recordings DIR: each fetched record's audio saved next to the JSON Lines, named by
 * the record's id. A file is written under a .part name and renamed when whole, so a rerun keeps
 * what an earlier run finished and fetches only the rest. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* The record id as a file name: letters, digits, '.', '-' and '_' kept, anything else '_'. */
static void file_stem(const char *id, size_t index, char *out, size_t len)
{
    char safe[160];
    size_t n = 0;
    for (const char *p = id ? id : "record"; *p && n + 1 < sizeof(safe); p++) {
        char c = *p;
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '-' || c == '_';
        safe[n] = plain && !(n == 0 && c == '.') ? c : '_';
        n++;
    }
    safe[n] = '\0';
    snprintf(out, len, "%s-%zu", safe, index + 1);
}

/* Whether an earlier run saved this recording whole (any "<stem>.<type>" but a .part). */
static bool already_saved(const char *dir, const char *stem)
{
    char pattern[4096];
    snprintf(pattern, sizeof(pattern), "%s/%s.*", dir, stem);
    glob_t g;
    bool found = false;
    if (glob(pattern, GLOB_NOSORT, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc && !found; i++) {
            size_t len = strlen(g.gl_pathv[i]);
            found = len < 5 || strcmp(g.gl_pathv[i] + len - 5, ".part") != 0;
        }
        globfree(&g);
    }
    return found;
}

static int write_file(void *user, const void *data, size_t len)
{
    return fwrite(data, 1, len, user) == len ? 0 : 1;
}

/* One recording into dir: CDR_OK when saved or already there, *none when the call has none. */
static cdr_error save_one(struct cdr_client *client, const struct cdr_record *rec, size_t index,
                          const char *dir, bool *none, struct cdr_error_info *err)
{
    char stem[192], part[4096], final[4096];
    file_stem(rec->id, index, stem, sizeof(stem));
    if (already_saved(dir, stem))
        return CDR_OK;
    snprintf(part, sizeof(part), "%s/%s.part", dir, stem);
    FILE *out = fopen(part, "wb");
    if (!out)
        return cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "cannot write %s", part);
    struct cdr_download d;
    cdr_error rc = cdr_client_download(client, rec, index, write_file, out, &d, err);
    bool closed = fclose(out) == 0;
    if (rc == CDR_OK && !closed)
        rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "cannot write %s", part);
    if (rc == CDR_OK) {
        snprintf(final, sizeof(final), "%s/%s%s", dir, stem, d.extension[0] ? d.extension : ".bin");
        if (rename(part, final) != 0)
            rc = cdr_error_set(err, CDR_ERR_INVALID_ARGUMENT, "cannot rename %s", part);
    } else {
        unlink(part);
        *none = rc == CDR_ERR_NOT_FOUND;
    }
    return rc;
}

bool cli_save_recordings(struct cdr_client *client, const struct cdr_record *rec, const char *dir)
{
    /* A record that lists no link may still have one recording its vendor finds by its ids. */
    size_t count = rec->recording_url_count ? rec->recording_url_count : 1;
    bool ok = true;
    for (size_t i = 0; i < count; i++) {
        struct cdr_error_info err;
        bool none = false;
        cdr_error rc = save_one(client, rec, i, dir, &none, &err);
        if (rc != CDR_OK && !(none && rec->recording_url_count == 0)) {
            char what[256];
            snprintf(what, sizeof(what), "recording %zu of %s", i + 1, rec->id ? rec->id : "?");
            cli_print_error(what, rc, &err);
            ok = false;
        }
    }
    return ok;
}
