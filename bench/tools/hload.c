/*
 * hload: a small keep-alive HEAD load generator for 127.0.0.1, because wrk's parser waits for a body
 * after a HEAD response that carries Content-Length (so wrk reports 0 req/s for manifest HEAD).
 *
 * usage: hload PORT PATH SECONDS THREADS CONNECTIONS [HEADER ...]
 * Each thread drives CONNECTIONS/THREADS connections with epoll, one request in flight per connection.
 * Prints: requests, seconds, non2xx, errors (one "key value" per line).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn { int fd; size_t have; char buf[16384]; };
struct worker { int port, nconn; double seconds; const char *req; size_t reqlen;
                long requests, non2xx, errors; pthread_t thread; };

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int dial(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) { if (fd >= 0) close(fd); return -1; }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static int send_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k; n -= (size_t)k;
    }
    return 0;
}

/* (Re)open a connection and send the first request; returns 0 on success. */
static int start(struct worker *w, int ep, struct conn *c) {
    if (c->fd >= 0) { epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); close(c->fd); }
    c->have = 0;
    c->fd = dial(w->port);
    if (c->fd < 0) return -1;
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    return send_all(c->fd, w->req, w->reqlen);
}

static void *run(void *arg) {
    struct worker *w = arg;
    int ep = epoll_create1(0);
    struct conn *conns = calloc((size_t)w->nconn, sizeof *conns);
    for (int i = 0; i < w->nconn; i++) {
        conns[i].fd = -1;
        if (start(w, ep, &conns[i]) != 0) w->errors++;
    }
    double end = now() + w->seconds;
    struct epoll_event evs[64];
    while (now() < end) {
        int n = epoll_wait(ep, evs, 64, 100);
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            ssize_t k = recv(c->fd, c->buf + c->have, sizeof c->buf - 1 - c->have, 0);
            if (k < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (k <= 0) { w->errors++; if (start(w, ep, c) != 0) w->errors++; continue; }
            c->have += (size_t)k;
            c->buf[c->have] = 0;
            char *head_end = strstr(c->buf, "\r\n\r\n");
            if (!head_end) {
                if (c->have >= sizeof c->buf - 1) { w->errors++; start(w, ep, c); }
                continue;
            }
            int status = 0;
            if (sscanf(c->buf, "HTTP/1.%*d %d", &status) != 1) w->errors++;
            else if (status < 200 || status > 299) w->non2xx++;
            w->requests++;
            size_t used = (size_t)(head_end + 4 - c->buf);
            memmove(c->buf, c->buf + used, c->have - used);
            c->have -= used;
            if (send_all(c->fd, w->req, w->reqlen) != 0) { w->errors++; start(w, ep, c); }
        }
    }
    for (int i = 0; i < w->nconn; i++) if (conns[i].fd >= 0) close(conns[i].fd);
    free(conns);
    close(ep);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: hload PORT PATH SECONDS THREADS CONNECTIONS [HEADER ...]\n");
        return 2;
    }
    int port = atoi(argv[1]), threads = atoi(argv[4]), conns = atoi(argv[5]);
    double seconds = atof(argv[3]);
    if (port <= 0 || threads <= 0 || conns < threads || seconds <= 0) { fprintf(stderr, "hload: bad arguments\n"); return 2; }
    static char req[8192];
    int len = snprintf(req, sizeof req, "HEAD %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n", argv[2], port);
    for (int i = 6; i < argc && len < (int)sizeof req - 64; i++)
        len += snprintf(req + len, sizeof req - (size_t)len, "%s\r\n", argv[i]);
    len += snprintf(req + len, sizeof req - (size_t)len, "\r\n");
    struct worker *ws = calloc((size_t)threads, sizeof *ws);
    double t0 = now();
    for (int i = 0; i < threads; i++) {
        ws[i] = (struct worker){ .port = port, .seconds = seconds, .req = req, .reqlen = (size_t)len,
                                 .nconn = conns / threads + (i < conns % threads ? 1 : 0) };
        pthread_create(&ws[i].thread, NULL, run, &ws[i]);
    }
    long requests = 0, non2xx = 0, errors = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ws[i].thread, NULL);
        requests += ws[i].requests; non2xx += ws[i].non2xx; errors += ws[i].errors;
    }
    double elapsed = now() - t0;
    printf("requests %ld\nseconds %.3f\nnon2xx %ld\nerrors %ld\nreq_per_s %.1f\n",
           requests, elapsed, non2xx, errors, requests / elapsed);
    free(ws);
    return 0;
}
