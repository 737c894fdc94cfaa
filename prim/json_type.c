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
