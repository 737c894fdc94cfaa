/* libFuzzer target: cdrsim-conform's loaders on hostile files. The first byte picks what the rest
 * is read as: a suite (with or without the evidence requirement) or a drift schema, which is then
 * also compared against a few answers. Loading must succeed or fail with a message, never crash
 * or leak. The loaders read paths, so each input is written to a file of this process first. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char file_path[64];

static void remove_file(void)
{
    unlink(file_path);
}

/* The input as a file; its path (the same file every time, gone when the process ends). Aborts
 * when it cannot be written. */
static const char *as_file(const uint8_t *data, size_t size)
{
    if (!file_path[0]) {
        snprintf(file_path, sizeof(file_path), "/tmp/cdrsim-fuzz-conform-%ld.json", (long)getpid());
        atexit(remove_file);
    }
    FILE *f = fopen(file_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    return file_path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *path = as_file(data + 1, size - 1);
    char err[512] = "";
    switch (data[0] % 3) {
    case 0:
    case 1: {
        struct conform_suite suite;
        unsigned flags = data[0] % 3 ? CONFORM_LOAD_REQUIRE_EVIDENCE : CONFORM_LOAD_DEFAULT;
        if (conform_suite_load_with(&suite, path, flags, err, sizeof(err)))
            conform_suite_free(&suite);
        else if (!err[0])
            abort(); /* a refusal says why */
        break;
    }
    default: {
        struct conform_schema schema;
        if (!conform_schema_load(&schema, path, err, sizeof(err))) {
            if (!err[0])
                abort();
            break;
        }
        static const char *const bodies[] = {
            "{\"code\":0,\"data\":{\"records\":[{\"id\":\"1\",\"duration\":3}],\"total\":1}}",
            "[1,\"a\",null,{\"x\":[true]}]", "{}"};
        static const char *const paths[] = {"/v3/cc/record/query", "/", "/agent-api/user/x"};
        for (size_t i = 0; i < 3; i++) {
            struct conform_findings findings;
            memset(&findings, 0, sizeof(findings));
            conform_schema_check(&schema, "POST", paths[i], 200, bodies[i], strlen(bodies[i]),
                                 &findings);
            conform_findings_free(&findings);
        }
        conform_schema_free(&schema);
        break;
    }
    }
    return 0;
}
