/* The benchmarks' ceiling: libmicrohttpd in its fastest configuration (epoll in a pool of one
 * worker per core, turbo mode, no logic at all) answering every request with the same fixed bytes
 * the mock sent, with the same Content-Type and a Date header like the mock's. The mock's
 * throughput is reported relative to this.
 * Usage: cdrsim-bench-static FILE [CONTENT-TYPE]   (an ephemeral 127.0.0.1 port) */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct page {
    char *body;
    size_t len;
    const char *content_type;
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)url;
    (void)method;
    (void)version;
    (void)upload_data;
    const struct page *page = cls;
    if (!*con_cls) { /* first call: headers only */
        *con_cls = (void *)1;
        return MHD_YES;
    }
    if (*upload_data_size) { /* drain the request body, as the mock does */
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(page->len, page->body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, page->content_type);
    enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    *con_cls = NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: cdrsim-bench-static FILE [CONTENT-TYPE]\n");
        return 2;
    }
    struct page page = {.content_type = argc == 3 ? argv[2] : "application/json;charset=UTF-8"};
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    page.body = malloc((size_t)n + 1);
    if (n < 0 || !page.body || fread(page.body, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    fclose(f);
    page.len = (size_t)n;
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct sockaddr_in loopback = {.sin_family = AF_INET,
                                   .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, 0, NULL, NULL, on_request,
        &page, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&loopback, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(cores > 0 ? cores : 1), MHD_OPTION_CONNECTION_LIMIT, 16384u,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "cannot start\n");
        return 1;
    }
    printf("listening on http://127.0.0.1:%u\n",
           MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port);
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    free(page.body);
    return 0;
}
