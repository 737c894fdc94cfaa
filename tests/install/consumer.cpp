// A C++ program using the installed libcdrsim: asks the mock whose URL it is given for a day of
// ITNIO records through the generic client and prints how many came back.
//   consumer-cxx URL API_KEY API_SECRET
#include <cdrsim/cdrsim.h>

#include <cstdio>

static int count_record(void *user, const cdr_record *rec)
{
    (void)rec;
    ++*static_cast<long *>(user);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s URL API_KEY API_SECRET\n", argv[0]);
        return 2;
    }
    cdr_args *args = cdr_args_new();
    if (!args)
        return 1;
    cdr_args_set(args, "api_key", argv[2]);
    cdr_args_set(args, "api_secret", argv[3]);
    cdr_args_set(args, "from", "2025-01-01 00:00:00");
    cdr_args_set(args, "to", "2025-01-01 23:59:59");
    cdr_client_options opts;
    cdr_client_options_default(&opts);
    opts.base_url = argv[1];
    cdr_error_info err;
    cdr_client *client = cdr_client_new(cdr_vendor_find("itnio"), &opts, args, &err);
    long count = 0;
    cdr_error rc = client
                       ? cdr_client_fetch_all(client, args, 0, count_record, nullptr, &count, &err)
                       : err.code;
    cdr_client_free(client);
    cdr_args_free(args);
    if (rc != CDR_OK) {
        std::fprintf(stderr, "itnio: %s: %s\n", cdr_error_name(rc), err.message);
        return 1;
    }
    std::printf("cdrsim %s from C++: %ld records\n", CDRSIM_VERSION, count);
    return 0;
}
