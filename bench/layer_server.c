/* cdrsim-mock's HTTP layer alone: http_mhd.c with the mock's defaults (request log on, header
 * deadlines, limits, Date from a clock) serving a handler that only copies fixed bytes into its
 * response, as a vendor's handler hands over the page it rendered. Between the static server and
 * the full mock, it shows how much of the mock's cost is the HTTP layer and how much the
 * vendors' handlers.
 * Usage: cdrsim-bench-layer FILE [CONTENT-TYPE]   (an ephemeral 127.0.0.1 port, log to stderr) */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fileio.h"
#include "http.h"

struct page {
    char *body;
    size_t len;
    const char *content_type;
};

static void answer(void *ctx, const struct mock_request *req, struct mock_response *resp)
{
    (void)req;
    const struct page *page = ctx;
    resp->vendor = "bench";
    mock_response_set_body(resp, 200, page->content_type, page->body, page->len);
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: cdrsim-bench-layer FILE [CONTENT-TYPE]\n");
        return 2;
    }
    char err[512];
    struct page page = {.content_type = argc == 3 ? argv[2] : "application/json;charset=UTF-8"};
    page.body = mock_read_file(argv[1], &page.len, err, sizeof(err));
    if (!page.body) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    struct mock_config cfg;
    mock_config_init(&cfg);
    cfg.port = 0;
    struct mock_clock clock;
    mock_clock_init_real(&clock);
    struct mock_http_app app = {.handle = answer, .ctx = &page, .clock = &clock};
    struct mock_http *http = mock_http_start(&app, &cfg, STDERR_FILENO, err, sizeof(err));
    if (!http) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("listening on http://127.0.0.1:%u\n", mock_http_port(http));
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    mock_http_stop(http);
    mock_clock_destroy(&clock);
    mock_config_free(&cfg);
    free(page.body);
    return 0;
}
