/* Conformance driver for ITNIO. page and all go through the descriptor (drivers/generic.c), the
 * step's arguments named as its fields (voice_group_id, seat_id, call_type, ...). What only ITNIO
 * has, each answered as a view of the vendor's entries:
 *   "groups"          {"name", "page", "size"}: the group list, paged;
 *   "seats"           {"from", "to" (the statistics window), "voice_group_id", "name", "enable",
 *                      "status", "no_window": true (send none), "page", "size"}: the agent list;
 *   "group_settings"  {"voice_group_id"}: one group's settings (default: the first listed group);
 *   "recording_url"   {"file_id", "source_type"}: a link (default id: the first recording key of
 *                      the newest records in from..to);
 *   "download"        {"file_id"}: the same recording's audio, described by its WAV header. */
#include <stdlib.h>
#include <string.h>

#include "cdrsim/itnio.h"
#include "args.h"

static cJSON *text_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *group_view(const struct cdr_itnio_group *g)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "voiceGroupId", (double)g->voice_group_id);
    cJSON_AddItemToObject(o, "groupName", text_or_null(g->group_name));
    cJSON_AddItemToObject(o, "appName", text_or_null(g->app_name));
    cJSON_AddNumberToObject(o, "callinStrategy", (double)g->callin_strategy);
    cJSON_AddNumberToObject(o, "countSeat", (double)g->count_seat);
    return o;
}

/* Every member the client keeps; the statistics only when the answer had them. */
static cJSON *seat_view(const struct cdr_itnio_seat *s)
{
    cJSON *o = cJSON_CreateObject();
    const struct {
        const char *name;
        int64_t value;
    } ints[] = {{"keyId", s->key_id},           {"voiceGroupId", s->voice_group_id},
                {"enable", s->enable},          {"status", s->status},
                {"deleteFlag", s->delete_flag}, {"priority", s->priority}};
    const struct {
        const char *name;
        const char *value;
    } texts[] = {{"empNo", s->emp_no},           {"name", s->name},
                 {"groupName", s->group_name},   {"petName", s->pet_name},
                 {"appId", s->app_id},           {"account", s->account},
                 {"createTime", s->create_time}, {"updateTime", s->update_time},
                 {"displayNum", s->display_num}, {"ccode", s->ccode}};
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
        cJSON_AddNumberToObject(o, ints[i].name, (double)ints[i].value);
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        cJSON_AddItemToObject(o, texts[i].name, text_or_null(texts[i].value));
    if (s->num >= 0) {
        cJSON_AddNumberToObject(o, "num", (double)s->num);
        cJSON_AddNumberToObject(o, "connectNum", (double)s->connect_num);
        cJSON_AddItemToObject(o, "connectRate", text_or_null(s->connect_rate));
    }
    return o;
}

static void take_list(struct cdr_itnio_list_page *p, bool groups, struct conform_result *out)
{
    out->paged = true;
    out->total = p->total;
    out->pages = p->pages;
    out->page = p->current;
    out->size = p->size;
    out->view = cJSON_CreateArray();
    for (size_t i = 0; out->view && i < p->count; i++)
        cJSON_AddItemToArray(out->view,
                             groups ? group_view(&p->groups[i]) : seat_view(&p->seats[i]));
    cdr_itnio_list_page_free(p);
}

static cdr_error seats(struct cdr_itnio_client *itnio, const struct conform_call *call,
                       int64_t page, int64_t size, struct cdr_itnio_list_page *p,
                       struct cdr_error_info *err)
{
    struct cdr_itnio_seat_filter f;
    cdr_itnio_seat_filter_init(&f);
    const cJSON *no_window = cJSON_GetObjectItemCaseSensitive(call->args, "no_window");
    if (!cJSON_IsTrue(no_window)) {
        f.start_time = conform_arg_int(call->args, "from", CDR_TIME_NONE);
        f.end_time = conform_arg_int(call->args, "to", CDR_TIME_NONE);
    }
    f.voice_group_id = conform_arg_int(call->args, "voice_group_id", -1);
    f.enable = conform_arg_int(call->args, "enable", -1);
    f.status = conform_arg_int(call->args, "status", -1);
    f.name = conform_arg_str(call->args, "name");
    return cdr_itnio_query_seats(itnio, &f, page, size, p, err);
}

static cdr_error roster(struct cdr_itnio_client *itnio, const struct conform_call *call,
                        bool groups, struct conform_result *out)
{
    struct cdr_itnio_list_page p;
    int64_t page = conform_arg_int(call->args, "page", 1);
    int64_t size = conform_arg_int(call->args, "size", 100);
    cdr_error rc = groups ? cdr_itnio_query_groups(itnio, conform_arg_str(call->args, "name"), page,
                                                   size, &p, &out->info)
                          : seats(itnio, call, page, size, &p, &out->info);
    if (rc == CDR_OK)
        take_list(&p, groups, out);
    return rc;
}

/* The group to ask about: the step's, or the first the group list names. */
static cdr_error pick_group(struct cdr_itnio_client *itnio, const struct conform_call *call,
                            int64_t *id, struct cdr_error_info *err)
{
    *id = conform_arg_int(call->args, "voice_group_id", -1);
    if (*id >= 0)
        return CDR_OK;
    struct cdr_itnio_list_page p;
    cdr_error rc = cdr_itnio_query_groups(itnio, NULL, 1, 1, &p, err);
    if (rc == CDR_OK && p.count == 0)
        rc = cdr_error_set(err, CDR_ERR_NOT_FOUND, "the account has no agent group");
    if (rc == CDR_OK)
        *id = p.groups[0].voice_group_id;
    cdr_itnio_list_page_free(&p);
    return rc;
}

static cdr_error group_settings(struct cdr_itnio_client *itnio, const struct conform_call *call,
                                struct conform_result *out)
{
    int64_t id;
    struct cdr_itnio_group_settings s;
    cdr_error rc = pick_group(itnio, call, &id, &out->info);
    if (rc == CDR_OK && (rc = cdr_itnio_get_group_settings(itnio, id, &s, &out->info)) == CDR_OK) {
        out->view = cJSON_CreateArray();
        cJSON_AddItemToArray(out->view, cJSON_Parse(s.raw_json));
        cdr_itnio_group_settings_free(&s);
    }
    return rc;
}

/* The recording to use: the step's file_id, or the first key among the newest records of the
 * step's range (its latest 93 days: one page must not exceed the record query's window). */
static cdr_error pick_recording(const struct conform_client *c, const struct conform_call *call,
                                char **key, struct cdr_error_info *err)
{
    const char *given = conform_arg_str(call->args, "file_id");
    if (given)
        return (*key = strdup(given)) ? CDR_OK : cdr_error_set(err, CDR_ERR_NO_MEMORY, "no memory");
    *key = NULL;
    int64_t from = conform_arg_int(call->args, "from", 0),
            to = conform_arg_int(call->args, "to", 0);
    int64_t limit = cdr_vendor_call_max_range(cdr_client_vendor(c->client), "page");
    struct cdr_args *args = cdr_args_new();
    char text[32];
    for (size_t i = 0; args; i++) {
        /* Every argument of the step, the start moved up to the latest window one page allows. */
        const char *name, *value;
        if (!cdr_args_entry(c->args, i, &name, &value))
            break;
        if (strcmp(name, "from") == 0 && limit > 0 && to - from > limit) {
            snprintf(text, sizeof(text), "%lld", (long long)(to - limit));
            value = text;
        }
        cdr_args_add(args, name, value);
    }
    if (!args)
        return cdr_error_set(err, CDR_ERR_NO_MEMORY, "out of memory");
    struct cdr_page p;
    cdr_error rc = cdr_client_page(c->client, args, 1, 100, &p, err);
    cdr_args_free(args);
    for (size_t i = 0; rc == CDR_OK && i < p.record_count && !*key; i++)
        if (p.records[i].recording_url_count)
            *key = strdup(p.records[i].recording_urls[0]);
    cdr_page_free(&p);
    if (rc == CDR_OK && !*key)
        rc = cdr_error_set(err, CDR_ERR_NOT_FOUND, "no record of the range has a recording");
    return rc;
}

static cdr_error recording_url(struct cdr_itnio_client *itnio, const char *key,
                               const struct conform_call *call, struct conform_result *out)
{
    struct cdr_itnio_recording_url link;
    cdr_error rc = cdr_itnio_get_recording_url(
        itnio, key, conform_arg_str(call->args, "source_type"), &link, &out->info);
    if (rc == CDR_OK) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "recordingFileId", key);
        cJSON_AddStringToObject(o, "url", link.url);
        cJSON_AddNumberToObject(o, "expireTime", (double)link.expire_time_ms);
        out->view = cJSON_CreateArray();
        cJSON_AddItemToArray(out->view, o);
        cdr_itnio_recording_url_free(&link);
    }
    return rc;
}

/* The first bytes of a download (its header) and how many there were. */
struct captured {
    unsigned char head[44];
    size_t len;
};

static int capture(void *user, const void *data, size_t len)
{
    struct captured *c = user;
    if (c->len < sizeof(c->head)) {
        size_t room = sizeof(c->head) - c->len;
        memcpy(c->head + c->len, data, len < room ? len : room);
    }
    c->len += len;
    return 0;
}

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* The audio as the WAV header describes it: what a recording check can judge without the bytes. */
static cJSON *audio_view(const char *key, const struct cdr_download *d, const struct captured *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "recordingFileId", key);
    cJSON_AddNumberToObject(o, "bytes", (double)d->bytes);
    cJSON_AddStringToObject(o, "contentType", d->content_type);
    cJSON_AddStringToObject(o, "extension", d->extension);
    bool wav =
        c->len >= 44 && memcmp(c->head, "RIFF", 4) == 0 && memcmp(c->head + 8, "WAVE", 4) == 0;
    cJSON_AddBoolToObject(o, "wav", wav);
    if (wav) {
        cJSON_AddNumberToObject(o, "format", le16(c->head + 20));
        cJSON_AddNumberToObject(o, "channels", le16(c->head + 22));
        cJSON_AddNumberToObject(o, "sampleRate", le16(c->head + 24) | le16(c->head + 26) << 16);
    }
    return o;
}

static cdr_error download(struct cdr_itnio_client *itnio, const char *key,
                          struct conform_result *out)
{
    struct cdr_download d;
    struct captured c = {{0}, 0};
    cdr_error rc = cdr_itnio_download(itnio, key, capture, &c, &d, &out->info);
    if (rc == CDR_OK) {
        out->view = cJSON_CreateArray();
        cJSON_AddItemToArray(out->view, audio_view(key, &d, &c));
    }
    return rc;
}

static cdr_error recording(const struct conform_client *c, struct cdr_itnio_client *itnio,
                           const struct conform_call *call, bool audio, struct conform_result *out)
{
    char *key;
    cdr_error rc = pick_recording(c, call, &key, &out->info);
    if (rc == CDR_OK)
        rc = audio ? download(itnio, key, out) : recording_url(itnio, key, call, out);
    free(key);
    return rc;
}

static cdr_error itnio_action(const struct conform_call *call, const char *name,
                              struct conform_result *out)
{
    static const char *const known[] = {"groups", "seats", "group_settings", "recording_url",
                                        "download"};
    size_t which = 0;
    while (which < sizeof(known) / sizeof(known[0]) && strcmp(known[which], name) != 0)
        which++;
    if (which == sizeof(known) / sizeof(known[0]))
        return cdr_error_set(&out->info, CDR_ERR_INVALID_ARGUMENT, "no call named %s for itnio",
                             name);
    struct conform_client c;
    if (!conform_client_open(&c, call, out)) {
        conform_client_close(&c);
        return out->info.code;
    }
    struct cdr_itnio_client *itnio = cdr_itnio_client_of(c.client);
    cdr_error rc = which <= 1   ? roster(itnio, call, which == 0, out)
                   : which == 2 ? group_settings(itnio, call, out)
                                : recording(&c, itnio, call, which == 4, out);
    if (rc == CDR_OK && !out->view)
        rc = cdr_error_set(&out->info, CDR_ERR_NO_MEMORY, "out of memory");
    conform_client_close(&c);
    return rc;
}

static const char *const calls[] = {"groups",        "seats",    "group_settings",
                                    "recording_url", "download", NULL};

const struct conform_driver conform_itnio_driver = {
    .vendor = "itnio",
    .page = conform_vendor_page,
    .all = conform_vendor_all,
    .action = itnio_action,
    .calls = calls,
};
