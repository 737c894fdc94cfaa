/* What Yunfu's arguments are: the token, the account and task a list belongs to, and the list's
 * filters, each with its query parameter and its member of struct cdr_yunfu_filter. The query
 * string is built by walking this table: a new filter is a row here and its member. */
#include <stdint.h>

#include "internal.h"

#define AT(member) CDR__AT(struct cdr_yunfu_filter, member)
#define LIST(member, count) CDR__LIST(struct cdr_yunfu_filter, member, count)

/* RANGE_LIST values are filled as {int64_t min, max} pairs. */
_Static_assert(sizeof(struct cdr_yunfu_range) == 2 * sizeof(int64_t) &&
                   offsetof(struct cdr_yunfu_range, max) == sizeof(int64_t),
               "struct cdr_yunfu_range is a pair of int64_t");

static const char *const intention_letters[] = {"A", "B", "C", "D", "E", NULL};
/* Task states 1..3 as the task list's page names them (暂停中, 执行中, 等待执行). */
const char *const cdr__yunfu_task_states[] = {"paused", "running", "waiting", NULL};

const struct cdr_field cdr__yunfu_fields[] = {
    {"token", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, CDR_FIELD_REQUIRED | CDR_FIELD_SECRET,
     .metavar = "TOKEN", .wire = "header Authorization: Bearer TOKEN",
     .help = "the partner's API token", CDR__BY_NAME},
    {"user_id", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, .metavar = "ID",
     .wire = "path /agent-api/user/{user_id}/...",
     .help = "the account (a UUID); required unless --legacy", CDR__BY_NAME},
    {"task_id", CDR_VALUE_STRING, CDR_ROLE_CREDENTIAL, .metavar = "ID",
     .wire = "path .../task/{task_id}/record",
     .help = "the task whose calls are listed; required unless all_tasks", CDR__BY_NAME},
    {"legacy", CDR_VALUE_FLAG, CDR_ROLE_OPTION, .wire = "path /agent-api/task/{task_id}/record",
     .help = "the retired path without the account (the default cloud node)", CDR__BY_NAME},
    {"all_tasks", CDR_VALUE_FLAG, CDR_ROLE_OPTION,
     .wire = "GET /agent-api/user/{user_id}/task, then each task's calls",
     .help = "every call of every task of the account, each with its task's direction",
     CDR__BY_NAME},
    {"sub_accounts", CDR_VALUE_FLAG, CDR_ROLE_OPTION,
     .wire = "GET /agent-api/user/{user_id}/all_task",
     .help = "with all_tasks: the tasks of every sub-account too", CDR__BY_NAME},
    {"task_name", CDR_VALUE_STRING, CDR_ROLE_OPTION, .metavar = "TEXT",
     .wire = "name (query of the task list)",
     .help = "with all_tasks: only tasks whose name contains TEXT", CDR__BY_NAME},
    {"task_status", CDR_VALUE_INT_LIST, CDR_ROLE_OPTION, .min = 1, .max = 3,
     .names = cdr__yunfu_task_states, .metavar = "1..3|paused|running|waiting",
     .wire = "status, or status[] for several (query of the task list)",
     .help = "with all_tasks: only tasks in that state", CDR__BY_NAME},
    {"keyword", CDR_VALUE_STRING, CDR_ROLE_FILTER, .param = "keyword",
     .help = "part of the callee number", AT(keyword)},
    {"from", CDR_VALUE_TIME, CDR_ROLE_FILTER, .param = "start_at", .wire = "China wall clock",
     .help = "calls that started at or after T", AT(start_time)},
    {"to", CDR_VALUE_TIME, CDR_ROLE_FILTER, .param = "end_at", .wire = "China wall clock",
     .help = "calls that started at or before T", AT(end_time)},
    {"level", CDR_VALUE_RANGE_LIST, CDR_ROLE_FILTER, .param = "levels", .min = 0, .max = INT64_MAX,
     .wire = "levels[i][]=MIN&levels[i][]=MAX", .help = "a score range, both ends included",
     LIST(levels, level_count)},
    {"intention_tag", CDR_VALUE_INT_LIST, CDR_ROLE_FILTER, .param = "intention_tags[]", .min = 1,
     .max = 5, .names = intention_letters, .metavar = "1..5|A..E",
     .help = "the intention assessed, 1..5 or the console's A..E",
     LIST(intention_tags, intention_tag_count)},
    {"hangup_from", CDR_VALUE_TIME, CDR_ROLE_FILTER, CDR_FIELD_PAIRED, .param = "hangup_date[]",
     .wire = "the first of two", .help = "calls that hung up at or after T", AT(hangup_from)},
    {"hangup_to", CDR_VALUE_TIME, CDR_ROLE_FILTER, .param = "hangup_date[]",
     .wire = "the second of two", .help = "calls that hung up at or before T", AT(hangup_to)},
    {"sub_user_id", CDR_VALUE_STRING, CDR_ROLE_FILTER, .param = "sub_user_id", .metavar = "ID",
     .help = "a sub-account of the account", AT(sub_user_id)},
    {NULL, CDR_VALUE_STRING, CDR_ROLE_FILTER, CDR__BY_NAME},
};
