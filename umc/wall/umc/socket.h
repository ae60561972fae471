/*
 * umc/socket.h - kernel TCP sockets over host sockets (IPv4 and IPv6).
 *
 * The kernel side owns struct socket / struct sock (sk_rcvtimeo, sk_sndtimeo,
 * sk_sndbuf, sk_userlocks, sk_state_change, sk_user_data, ...) and calls
 * these functions from its proto_ops; each call takes the timeout it read
 * from the sock *now*, so DRBD's direct field writes act on the next call.
 *
 * Blocking: the host fd is non-blocking; a call that has to wait polls the
 * fd together with the calling task's signal fd (umc/signal.h), with an
 * absolute deadline.  So a pending signal ends the wait at once, and an
 * expiring timeout is exact; nothing polls periodically.
 *
 * Results follow the kernel: byte counts or negative errno; 0 from recv on
 * orderly shutdown; -EAGAIN when the timeout expires (or MSG_DONTWAIT and
 * nothing to do) before any byte moved; on a signal -ERESTARTSYS if the
 * timeout was UMC_MAX_SCHEDULE_TIMEOUT, else -EINTR; a partial transfer
 * returns the bytes moved instead of an error.  Flags are Linux's MSG_*
 * (the host's on Linux): MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, MSG_MORE,
 * MSG_NOSIGNAL (always implied: no SIGPIPE, ever).
 *
 * Addresses are struct sockaddr_in / sockaddr_in6 bytes (Linux layout).
 * Calling context: process context of a task (they may sleep), except
 * umc_sock_fd.
 */
#ifndef UMC_WALL_SOCKET_H
#define UMC_WALL_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <umc/kernel_host.h>

#ifdef __cplusplus
extern "C" {
#endif

struct umc_sock;

#define UMC_SOCK_TIMEO_INFINITE ((long)(~0UL >> 1)) /* MAX_SCHEDULE_TIMEOUT */

/* struct umc_iov, one contiguous buffer (the kernel's struct kvec), is the
 * host interface's (umc/kernel_host.h). */

/* sock_create_kern(): family AF_INET (2) or AF_INET6 (10), type
 * SOCK_STREAM (1), protocol 0 or IPPROTO_TCP.  -EAFNOSUPPORT,
 * -ESOCKTNOSUPPORT, -ENOMEM, -EMFILE ... */
int umc_sock_create(int family, int type, int protocol, struct umc_sock **out);
/* sock_release(): stops the listen callback (waits for a running one),
 * closes the fd, frees. */
void umc_sock_release(struct umc_sock *sock);
/* The host fd (for diagnostics; do not read or write it). */
int umc_sock_fd(const struct umc_sock *sock);

/* Apply buffer sizes (bytes, 0 = keep) exactly, as the kernel side's
 * sk_sndbuf/sk_rcvbuf: the host socket's SO_SNDBUF/SO_RCVBUF then reads
 * back these values (the runtime passes half, since Linux doubles, and uses
 * the FORCE options so net.core.[rw]mem_max does not cap them; without the
 * privilege the capped value applies).  The kernel side calls this before
 * bind/connect/listen when sk_userlocks has the locks; accepted sockets
 * inherit the listener's sizes on the host as in the kernel. */
int umc_sock_set_bufsize(struct umc_sock *sock, int sndbuf, int rcvbuf);
/* setsockopt on the host socket (SOL_SOCKET / IPPROTO_TCP options, e.g.
 * SO_REUSEADDR, SO_PRIORITY, TCP_NODELAY, TCP_CORK, TCP_QUICKACK). */
int umc_sock_setsockopt(struct umc_sock *sock, int level, int name, const void *val, unsigned int len);

int umc_sock_bind(struct umc_sock *sock, const void *addr, int addrlen);
/* connect(): waits up to `timeo` jiffies (DRBD passes sk_sndtimeo);
 * timeout -> -EINPROGRESS (as inet_stream_connect), refused ->
 * -ECONNREFUSED, signal -> -ERESTARTSYS/-EINTR. */
int umc_sock_connect(struct umc_sock *sock, const void *addr, int addrlen, long timeo);
int umc_sock_listen(struct umc_sock *sock, int backlog);
/* accept(): waits up to `timeo` jiffies (0: don't wait -> -EAGAIN). */
int umc_sock_accept(struct umc_sock *sock, struct umc_sock **newsock, long timeo);
/* shutdown(): how = SHUT_RD/WR/RDWR (0/1/2).  Wakes other threads blocked
 * in recv/send on this socket (their poll sees the shutdown). */
int umc_sock_shutdown(struct umc_sock *sock, int how);
/* getsockname (peer false) / getpeername (peer true); *addrlen in/out. */
int umc_sock_getname(struct umc_sock *sock, void *addr, int *addrlen, bool peer);

/* sock_sendmsg(): send everything in iov (blocking up to timeo between
 * progress) in as few host calls as the host takes it.  Returns bytes sent
 * or -errno.  MSG_MORE is passed to the host; coalescing a run of MSG_MORE
 * sends into one call is the kernel side's (umc/kernel/net/socket.c). */
long umc_sock_send(struct umc_sock *sock, const struct umc_iov *iov, int iovcnt, int flags, long timeo);
/* umc_sock_send that also says why it stopped short: *stop is 0 when every
 * byte moved, else the -errno the call would have returned had it moved
 * nothing (-EAGAIN, -EINTR, -ERESTARTSYS, -EPIPE, ...).  The kernel side
 * needs it when the bytes of earlier MSG_MORE calls go first. */
long umc_sock_send_stop(struct umc_sock *sock, const struct umc_iov *iov, int iovcnt, int flags, long timeo, int *stop);
/* sock_recvmsg(): MSG_WAITALL fills all of iov unless EOF/error/timeout/
 * signal; otherwise returns what is available after waiting for some.
 *
 * Receive buffer: a call that finds the host queue non-empty takes what is
 * there in one host recvmsg (up to UMC_SOCK_RXBUF bytes beyond what the
 * caller asked for) and later calls are served from that buffer first, so a
 * peer's 1 MiB arriving at once costs one syscall, not one per 4 KiB read.
 * It is invisible to the caller: buffered bytes are readable for every wait
 * (a call never blocks while the buffer has bytes), MSG_PEEK and
 * MSG_DONTWAIT see them, EOF and a host error come after them (an error
 * met while returning buffered bytes is the next call's result, as the
 * kernel keeps sk_err), and releasing a socket with unread buffered bytes
 * resets the connection, as closing one with an unread receive queue does. */
long umc_sock_recv(struct umc_sock *sock, const struct umc_iov *iov, int iovcnt, int flags, long timeo);
#define UMC_SOCK_RXBUF (256 * 1024)

/* How many host sendmsg/recvmsg calls this socket has made (tests and
 * diagnostics: the coalescing above is asserted by counting). */
struct umc_sock_calls {
	unsigned long sendmsg;
	unsigned long recvmsg;
};
void umc_sock_get_calls(const struct umc_sock *sock, struct umc_sock_calls *calls);

/* Bytes not yet acknowledged by the peer (SIOCOUTQ; sk_wmem_queued). */
int umc_sock_outq(struct umc_sock *sock);

/* What the kernel keeps in struct sock about send-side space, read from
 * the host socket, which the host kernel sizes and autotunes the same way:
 * wmem_queued = bytes queued and not yet acknowledged (SIOCOUTQ); sndbuf,
 * rcvbuf = SO_SNDBUF/SO_RCVBUF (start at tcp_wmem[1]/tcp_rmem[1], grow with
 * the connection).  sndbuf/rcvbuf are 0 in a call that did not read them. */
struct umc_sock_space {
	int wmem_queued;
	int sndbuf;
	int rcvbuf;
};
/* Mirror the space into the kernel side: cb(arg, space) runs, serialised,
 * at once (with sizes), after every send that moved bytes (queue only),
 * when connect succeeds (with sizes) and -- because ACKs shrink the queue
 * with no call from the kernel side -- on the softirq task one jiffy after
 * any call that saw bytes outstanding (with sizes), until the queue is
 * empty.  So a field read at any moment is at most a jiffy behind the
 * host, and never stuck.  NULL cb stops it (waits for a running tick).
 * cb must not call back into this socket. */
int umc_sock_set_space_cb(struct umc_sock *sock, void (*cb)(void *arg, const struct umc_sock_space *space), void *arg);

/* Listening sockets: call cb(arg) on the softirq task each time the
 * socket goes from "no connection waiting" to "a connection is waiting"
 * (after umc_sock_accept took one, the next waiting one calls again).
 * The kernel side turns it into sk_state_change of a child sock in state
 * TCP_ESTABLISHED that carries the listener's sk_user_data.  NULL cb
 * removes it.  After umc_sock_listen. */
int umc_sock_set_listen_cb(struct umc_sock *sock, void (*cb)(void *arg), void *arg);

#ifdef __cplusplus
}
#endif

#endif /* UMC_WALL_SOCKET_H */
