/* POST /apigovernance/api/oauth/tokenByAkSk: the API Fabric's token, which every /apiaccess call
 * carries. Body {"app_key","app_secret"}, lifetime from X-Token-Expire (at most 3600 s); the answer
 * types every value as a string, CreateTime in epoch seconds (docs/vendors/huawei.md, API Fabric
 * token, https://support.huaweicloud.com/intl/en-us/api-cec/cec_07_0002.html). Failures are
 * undocumented: the gateway's error object with HTTP 400 for a request it cannot read and 401 (or
 * huawei.token_failure) for credentials it does not know. */
#include <stdlib.h>
#include <string.h>

#include "../../jsonval.h"
#include "internal.h"

void huawei_token(struct huawei_state *st, const struct mock_env *env,
                  const struct mock_request *req, struct mock_response *resp)
{
    int64_t lifetime_s;
    if (!huawei_parse_token_expire(st, req, &lifetime_s)) {
        huawei_reply_gateway(env, resp, 400, "APIGW.0201",
                             "Bad request: X-Token-Expire must be a number of seconds");
        return;
    }
    cJSON *body = huawei_json_body(req);
    const char *key = NULL, *secret = NULL;
    if (!body) {
        huawei_reply_gateway(env, resp, 400, "APIGW.0201", "Bad request: the body is not JSON");
        return;
    }
    mock_jv_string(body, "app_key", &key);
    mock_jv_string(body, "app_secret", &secret);
    const struct huawei_app *app = key && secret ? huawei_app_matching(st, key, secret) : NULL;
    if (app)
        mock_request_auth(req, true, "app_key %s and its app_secret", app->key);
    else
        mock_request_auth(req, false, "%s",
                          key && secret ? "unknown app_key or wrong app_secret"
                                        : "app_key or app_secret missing");
    cJSON_Delete(body);
    if (!app) {
        huawei_reply_gateway(env, resp, st->token_failure_status, "APIGW.0301",
                             "Incorrect app authentication information: app_key or app_secret");
        return;
    }
    int64_t now = mock_clock_now_ms(env->clock);
    char *token = huawei_issue_token(st, env, app, now + lifetime_s * 1000);
    if (!token) {
        mock_response_json(resp, 500, "{\"error\":\"out of memory\"}");
        return;
    }
    huawei_reply_token(resp, token, now / 1000, lifetime_s, app->key);
    free(token);
}
