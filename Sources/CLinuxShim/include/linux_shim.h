#ifndef BERTH_LINUX_SHIM_H
#define BERTH_LINUX_SHIM_H
// Declarations only: _GNU_SOURCE is defined for the .c file, never in this header (DESIGN.md §6.1).
// Functions return a negative errno on failure so Swift never touches the thread-local errno.
#include <stdint.h>
#include <stddef.h>

/// One epoll event in a layout Swift can use (the kernel's struct is packed on x86-64).
typedef struct berth_event {
    uint32_t events;
    uint64_t data;
} berth_event;

enum {
    BERTH_EV_IN = 0x001,
    BERTH_EV_OUT = 0x004,
    BERTH_EV_ERR = 0x008,
    BERTH_EV_HUP = 0x010,
    BERTH_EV_RDHUP = 0x2000
};

enum { BERTH_CTL_ADD = 1, BERTH_CTL_DEL = 2, BERTH_CTL_MOD = 3 };

int berth_epoll_create(void);
int berth_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
/// Waits for events; EINTR is reported as zero events.
int berth_epoll_wait(int epfd, berth_event *events, int max, int timeout_ms);

int berth_eventfd(void);
void berth_eventfd_signal(int fd);
void berth_eventfd_drain(int fd);

/// Creates a non-blocking SO_REUSEPORT listener on host:port (IPv4 or IPv6 literal).
/// Returns the fd or -errno; the actual port is written to bound_port.
int berth_listen_tcp(const char *host, int port, int backlog, int *bound_port);
/// Checks that host:port is free by binding it without SO_REUSEPORT (so a second server on the
/// same port is refused rather than silently sharing it). Returns 0 or -errno.
int berth_probe_port(const char *host, int port);
/// Accepts one connection (non-blocking, close-on-exec, TCP_NODELAY) and writes "ip:port" to addr.
/// Returns the fd or -errno (-EAGAIN when none is pending).
int berth_accept(int listen_fd, char *addr, size_t addr_len);

/// send(2) with MSG_NOSIGNAL, EINTR retried. Returns bytes or -errno.
long berth_send(int fd, const void *buf, size_t len);
/// read(2) with EINTR retried. Returns bytes, 0 at EOF, or -errno.
long berth_read(int fd, void *buf, size_t len);
/// sendfile(2) from in_fd at *offset (advanced), EINTR retried. Returns bytes or -errno.
long berth_sendfile(int out_fd, int in_fd, int64_t *offset, size_t count);

void berth_shutdown_write(int fd);
void berth_close(int fd);
void berth_ignore_sigpipe(void);
/// CLOCK_MONOTONIC in seconds.
double berth_monotonic_seconds(void);
#endif
