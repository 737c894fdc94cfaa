/* Temporary credentials: an AccessKey issued by STS (its id starts with "STS.") is valid only with
 * the SecurityToken issued with it (V2: the SecurityToken parameter; V3: the x-acs-security-token
 * header), and only until the token expires. The codes are the POP gateway's common errors; the
 * rules that decide between them are our reading (docs/vendors/aliyun.md, STS): a token the mock
 * never issued is malformed, one issued with another key does not match, and a token sent with a
 * long-term key is judged the same way unless the token_on_long_term_key variant ignores it. */
#include <string.h>

#include "internal.h"

static const struct aliyun_credential *key_named(const struct aliyun_state *st, const char *id)
{
    for (size_t i = 0; i < st->credential_count; i++)
        if (strcmp(st->credentials[i].id, id) == 0)
            return &st->credentials[i];
    return NULL;
}

static const struct aliyun_credential *token_owner(const struct aliyun_state *st, const char *token)
{
    for (size_t i = 0; i < st->credential_count; i++)
        if (st->credentials[i].token && aliyun_same_secret(st->credentials[i].token, token))
            return &st->credentials[i];
    return NULL;
}

static bool temporary_id(const char *id)
{
    return strncmp(id, "STS.", 4) == 0;
}

const struct aliyun_credential *
aliyun_sts_credential(const struct aliyun_state *st, const char *key_id, const char *token,
                      int64_t now_ms, const struct aliyun_reply *reply, struct mock_response *resp)
{
    const struct aliyun_credential *cred = key_named(st, key_id);
    bool long_term = cred && !cred->token;
    if (token && *token && !(long_term && st->token_on_long_term_ignored)) {
        const struct aliyun_credential *owner = token_owner(st, token);
        if (!owner) {
            aliyun_error(reply, resp, 400, "InvalidSecurityToken.Malformed",
                         "Specified SecurityToken is malformed.");
            return NULL;
        }
        if (owner != cred) {
            aliyun_error(reply, resp, 400, "InvalidSecurityToken.MismatchWithAccessKey",
                         "Specified SecurityToken mismatch with the AccessKey.");
            return NULL;
        }
        if (owner->expires_ms && now_ms >= owner->expires_ms) {
            aliyun_error(reply, resp, st->sts_expired_status, "InvalidSecurityToken.Expired",
                         "Specified SecurityToken is expired.");
            return NULL;
        }
        return cred;
    }
    /* The gateway learns a temporary key from its token: without one it cannot even look it up. */
    if ((cred && cred->token) || (!cred && temporary_id(key_id))) {
        aliyun_error(reply, resp, 400, "MissingSecurityToken",
                     "SecurityToken is mandatory for this action.");
        return NULL;
    }
    if (!cred)
        aliyun_error(reply, resp, 404, "InvalidAccessKeyId.NotFound",
                     "Specified access key is not found.");
    return cred;
}
