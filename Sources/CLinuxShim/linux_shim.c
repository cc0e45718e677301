#include "linux_shim.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int berth_epoll_create(void) {
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int berth_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.u64 = data;
    int kop = op == BERTH_CTL_ADD ? EPOLL_CTL_ADD : (op == BERTH_CTL_DEL ? EPOLL_CTL_DEL : EPOLL_CTL_MOD);
    return epoll_ctl(epfd, kop, fd, &ev) < 0 ? -errno : 0;
}

int berth_epoll_wait(int epfd, berth_event *events, int max, int timeout_ms) {
    struct epoll_event raw[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, raw, max, timeout_ms);
    if (n < 0) return errno == EINTR ? 0 : -errno;
    for (int i = 0; i < n; i++) {
        events[i].events = raw[i].events;
        events[i].data = raw[i].data.u64;
    }
    return n;
}

int berth_eventfd(void) {
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

void berth_eventfd_signal(int fd) {
    uint64_t one = 1;
    while (write(fd, &one, sizeof one) < 0 && errno == EINTR) {}
}

void berth_eventfd_drain(int fd) {
    uint64_t value;
    while (read(fd, &value, sizeof value) < 0 && errno == EINTR) {}
}

static int make_address(const char *host, int port, struct sockaddr_storage *storage, socklen_t *len) {
    memset(storage, 0, sizeof *storage);
    if (strcmp(host, "localhost") == 0) host = "127.0.0.1";
    if (strchr(host, ':') != NULL) {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)storage;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1) return -EINVAL;
        *len = sizeof *a6;
        return AF_INET6;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)storage;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &a4->sin_addr) != 1) return -EINVAL;
    *len = sizeof *a4;
    return AF_INET;
}

int berth_probe_port(const char *host, int port) {
    struct sockaddr_storage storage;
    socklen_t len;
    int family = make_address(host, port, &storage, &len);
    if (family < 0) return family;
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    int rc = bind(fd, (struct sockaddr *)&storage, len) < 0 ? -errno : 0;
    close(fd);
    return rc;
}

int berth_listen_tcp(const char *host, int port, int backlog, int *bound_port) {
    struct sockaddr_storage storage;
    socklen_t len;
    int family = make_address(host, port, &storage, &len);
    if (family < 0) return family;
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) < 0 ||
        bind(fd, (struct sockaddr *)&storage, len) < 0 || listen(fd, backlog) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    struct sockaddr_storage actual;
    socklen_t actual_len = sizeof actual;
    if (getsockname(fd, (struct sockaddr *)&actual, &actual_len) == 0 && bound_port != NULL) {
        if (actual.ss_family == AF_INET6) *bound_port = ntohs(((struct sockaddr_in6 *)&actual)->sin6_port);
        else *bound_port = ntohs(((struct sockaddr_in *)&actual)->sin_port);
    }
    return fd;
}

int berth_accept(int listen_fd, char *addr, size_t addr_len) {
    struct sockaddr_storage peer;
    socklen_t peer_len = sizeof peer;
    int fd;
    do {
        fd = accept4(listen_fd, (struct sockaddr *)&peer, &peer_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return -errno;
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (addr != NULL && addr_len > 0) {
        char ip[INET6_ADDRSTRLEN] = "?";
        int p = 0;
        if (peer.ss_family == AF_INET6) {
            struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&peer;
            inet_ntop(AF_INET6, &a6->sin6_addr, ip, sizeof ip);
            p = ntohs(a6->sin6_port);
        } else if (peer.ss_family == AF_INET) {
            struct sockaddr_in *a4 = (struct sockaddr_in *)&peer;
            inet_ntop(AF_INET, &a4->sin_addr, ip, sizeof ip);
            p = ntohs(a4->sin_port);
        }
        snprintf(addr, addr_len, "%s:%d", ip, p);
    }
    return fd;
}

long berth_send(int fd, const void *buf, size_t len) {
    ssize_t n;
    do { n = send(fd, buf, len, MSG_NOSIGNAL); } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : (long)n;
}

long berth_read(int fd, void *buf, size_t len) {
    ssize_t n;
    do { n = read(fd, buf, len); } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : (long)n;
}

long berth_sendfile(int out_fd, int in_fd, int64_t *offset, size_t count) {
    off_t off = (off_t)*offset;
    ssize_t n;
    do { n = sendfile(out_fd, in_fd, &off, count); } while (n < 0 && errno == EINTR);
    if (n < 0) return -errno;
    *offset = (int64_t)off;
    return (long)n;
}

void berth_shutdown_write(int fd) { shutdown(fd, SHUT_WR); }

void berth_close(int fd) { close(fd); }

void berth_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

double berth_monotonic_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
