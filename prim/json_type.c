#include "json_type.h"

#include <math.h>

const char *cdr__json_type(const cJSON *v)
{
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsBool(v))
        return "boolean";
    if (cJSON_IsString(v))
        return "string";
    if (cJSON_IsArray(v))
        return "array";
    if (cJSON_IsObject(v))
        return "object";
    if (!cJSON_IsNumber(v))
        return "invalid";
    double d = v->valuedouble;
    return isfinite(d) && d == floor(d) ? "integer" : "number";
}

int64_t cdr__int64_of_double(double d)
{
    if (isnan(d))
        return 0;
    if (d >= 9223372036854775808.0) /* 2^63, the first double past INT64_MAX */
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

int64_t cdr__json_int64(const cJSON *v, int64_t fallback)
{
    return cJSON_IsNumber(v) ? cdr__int64_of_double(v->valuedouble) : fallback;
}
