// socket.cpp - kernel TCP sockets over host sockets (umc/socket.h).
//
// Host fds are non-blocking.  A call that must wait does ppoll() on the fd
// and the calling task's signal eventfd with an absolute deadline, sleeping
// in TASK_INTERRUPTIBLE like sk_wait_data.  Listening sockets report
// incoming connections through an fd watch on the softirq task that is
// paused after each report and re-armed by accept, so a level-triggered
// watch never spins.
//
// Send-side space: the kernel keeps sk_wmem_queued (bytes queued and not
// yet acknowledged) and the autotuned sk_sndbuf/sk_rcvbuf in struct sock,
// and DRBD paces its resync requests by reading them.  The host kernel
// keeps the same numbers for the host socket, so the runtime mirrors them
// through a space callback: after each send (the queue grew), at connect
// and accept, and -- because ACKs shrink the queue without any call from
// the kernel side -- on the softirq task one jiffy later for as long as
// bytes are outstanding.
//
// Receive buffer: a recv that must go to the host asks for its own bytes
// and, behind them, for up to UMC_SOCK_RXBUF more into a per-socket buffer
// (one recvmsg, two iovecs, never blocking), and the next recvs are served
// from that buffer before the host is asked again.  DRBD reads a packet as
// an 8/16-byte header and then page by page with MSG_WAITALL; the buffer
// turns that into one syscall for all the pages the peer has already sent.
// The buffer is drained before any host recv, so the byte order holds; a
// call waits only while the buffer is empty, so buffered bytes are readable
// for every wait.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/sockios.h>
#include <vector>

#include "runtime.hpp"
#include "task.hpp"
#include "umc/signal.h"
#include "umc/socket.h"
#include "umc/task.h"
#include "umc/time.h"

struct umc_sock {
	int fd = -1;
	std::mutex mu; // listen watch and callback
	sys_fd_watch_t *watch = nullptr;
	void (*cb)(void *) = nullptr;
	void *cb_arg = nullptr;
	std::mutex space_mu; // space callback and its refresh alarm
	void (*space_cb)(void *, const umc_sock_space *) = nullptr;
	void *space_arg = nullptr;
	sys_alarm_t *space_alarm = nullptr;
	bool space_pending = false;
	std::mutex rx_mu;              // receive buffer; not held while waiting
	char *rx_buf = nullptr;        // UMC_SOCK_RXBUF bytes, allocated by the first recv
	size_t rx_off = 0, rx_len = 0; // unread bytes at rx_buf + rx_off
	int rx_err = 0;                // a host error met while returning bytes: the next result
	std::atomic<unsigned long> n_sendmsg{0}, n_recvmsg{0};
};

namespace umc {
namespace {

constexpr int kErestartsys = 512; // the kernel's ERESTARTSYS

enum class Wait { ready, timeout, signal };

uint64_t deadline_for(long timeo)
{
	if (timeo == UMC_SOCK_TIMEO_INFINITE)
		return 0;
	return timeout_deadline_ns(timeo);
}

int intr_errno(long timeo)
{
	return timeo == UMC_SOCK_TIMEO_INFINITE ? -kErestartsys : -EINTR;
}

// Wait until `fd` is ready for `events`, a signal is pending for the
// calling task, or the deadline (0 = none) passes.
Wait wait_fd(int fd, short events, uint64_t deadline)
{
	umc_task *t = umc_current();
	int sfd = umc_signal_fd(t);
	before_sleep(); // as schedule() would: no plugged I/O waits on us
	for (;;) {
		if (umc_signal_pending(t))
			return Wait::signal;
		struct timespec ts, *tsp = nullptr;
		if (deadline) {
			uint64_t now = sys().time_mono_ns();
			if (now >= deadline)
				return Wait::timeout;
			uint64_t left = deadline - now;
			ts.tv_sec = static_cast<time_t>(left / 1000000000ull);
			ts.tv_nsec = static_cast<long>(left % 1000000000ull);
			tsp = &ts;
		}
		struct pollfd p[2] = {{fd, events, 0}, {sfd, POLLIN, 0}};
		umc_set_current_state(UMC_TASK_INTERRUPTIBLE);
		int r = ppoll(p, sfd >= 0 ? 2 : 1, tsp, nullptr);
		umc_set_current_state(UMC_TASK_RUNNING);
		if (r < 0 && errno != EINTR)
			return Wait::ready; // let the caller's syscall report the error
		if (r > 0 && p[0].revents)
			return Wait::ready;
	}
}

// Build a msghdr over iov minus the first `skip` bytes.
int fill_iov(const umc_iov *iov, int iovcnt, size_t skip, std::vector<struct iovec> &out)
{
	out.clear();
	for (int i = 0; i < iovcnt; i++) {
		size_t len = iov[i].len;
		char *base = static_cast<char *>(iov[i].base);
		if (skip >= len) {
			skip -= len;
			continue;
		}
		out.push_back({base + skip, len - skip});
		skip = 0;
	}
	return static_cast<int>(out.size());
}

size_t iov_total(const umc_iov *iov, int iovcnt)
{
	size_t n = 0;
	for (int i = 0; i < iovcnt; i++)
		n += iov[i].len;
	return n;
}

void listen_ready(void *arg, int fd, uint32_t)
{
	auto *s = static_cast<umc_sock *>(arg);
	void (*cb)(void *);
	void *cb_arg;
	{
		std::lock_guard lk(s->mu);
		sys().fd_watch_modify(s->watch, 0); // until accept re-arms
		cb = s->cb;
		cb_arg = s->cb_arg;
	}
	// Only report a connection that is still there.
	struct pollfd p = {fd, POLLIN, 0};
	if (cb && poll(&p, 1, 0) == 1)
		cb(cb_arg);
}

// Read the host socket's queue (and, with `sizes`, its buffer sizes) and
// hand them to the space callback; keep refreshing while bytes are
// outstanding.
void refresh_space(umc_sock *s, bool sizes)
{
	std::lock_guard lk(s->space_mu);
	if (!s->space_cb)
		return;
	umc_sock_space sp = {};
	if (ioctl(s->fd, SIOCOUTQ, &sp.wmem_queued) < 0)
		sp.wmem_queued = 0;
	if (sizes) {
		socklen_t len = sizeof sp.sndbuf;
		getsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &sp.sndbuf, &len);
		len = sizeof sp.rcvbuf;
		getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &sp.rcvbuf, &len);
	}
	s->space_cb(s->space_arg, &sp);
	if (sp.wmem_queued > 0 && !s->space_pending && s->space_alarm) {
		s->space_pending = true;
		sys().alarm_arm(s->space_alarm, timeout_deadline_ns(1));
	}
}

void space_tick(void *arg)
{
	auto *s = static_cast<umc_sock *>(arg);
	{
		std::lock_guard lk(s->space_mu);
		s->space_pending = false;
	}
	refresh_space(s, true); // ACKs also let the host autotune the sizes
}

// SO_SNDBUF/SO_RCVBUF so that the host's value is exactly `bytes`, as the
// kernel side's open-coded sk_sndbuf/sk_rcvbuf write: Linux doubles what it
// is given, and only the FORCE variant passes net.core.[rw]mem_max.
int set_host_bufsize(int fd, int force_opt, int opt, int bytes)
{
	int half = (bytes + 1) / 2;
	if (setsockopt(fd, SOL_SOCKET, force_opt, &half, sizeof half) == 0)
		return 0;
	return setsockopt(fd, SOL_SOCKET, opt, &half, sizeof half) < 0 ? -errno : 0;
}

umc_sock *wrap(int fd)
{
	auto *s = new (std::nothrow) umc_sock;
	if (!s) {
		close(fd);
		return nullptr;
	}
	s->fd = fd;
	return s;
}

} // namespace

sys_task_t *softirq_task();

} // namespace umc

using namespace umc;

extern "C" int umc_sock_create(int family, int type, int protocol, struct umc_sock **out)
{
	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	if (type != SOCK_STREAM)
		return -ESOCKTNOSUPPORT;
	if (protocol != 0 && protocol != IPPROTO_TCP)
		return -EPROTONOSUPPORT;
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return -errno;
	umc_sock *s = wrap(fd);
	if (!s)
		return -ENOMEM;
	*out = s;
	return 0;
}

extern "C" void umc_sock_release(struct umc_sock *s)
{
	if (!s)
		return;
	if (s->watch)
		sys().fd_watch_destroy(s->watch); // waits for a running callback
	if (s->space_alarm)
		sys().alarm_destroy(s->space_alarm); // likewise
	if (s->rx_len) {
		// Unread bytes: tcp_close resets the connection instead of a FIN.
		struct linger l = {1, 0};
		setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	}
	close(s->fd);
	delete[] s->rx_buf;
	delete s;
}

extern "C" int umc_sock_fd(const struct umc_sock *s)
{
	return s->fd;
}

extern "C" int umc_sock_set_bufsize(struct umc_sock *s, int sndbuf, int rcvbuf)
{
	int err = 0;
	if (sndbuf > 0)
		err = set_host_bufsize(s->fd, SO_SNDBUFFORCE, SO_SNDBUF, sndbuf);
	if (!err && rcvbuf > 0)
		err = set_host_bufsize(s->fd, SO_RCVBUFFORCE, SO_RCVBUF, rcvbuf);
	return err;
}

extern "C" int umc_sock_setsockopt(struct umc_sock *s, int level, int name, const void *val, unsigned int len)
{
	return setsockopt(s->fd, level, name, val, len) < 0 ? -errno : 0;
}

extern "C" int umc_sock_bind(struct umc_sock *s, const void *addr, int addrlen)
{
	return bind(s->fd, static_cast<const sockaddr *>(addr), static_cast<socklen_t>(addrlen)) < 0 ? -errno : 0;
}

static int connect_host(struct umc_sock *s, const void *addr, int addrlen, long timeo)
{
	if (connect(s->fd, static_cast<const sockaddr *>(addr), static_cast<socklen_t>(addrlen)) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return -errno;
	if (!timeo)
		return -EINPROGRESS;
	switch (wait_fd(s->fd, POLLOUT, deadline_for(timeo))) {
	case Wait::timeout:
		return -EINPROGRESS;
	case Wait::signal:
		return intr_errno(timeo);
	case Wait::ready:
		break;
	}
	int err = 0;
	socklen_t len = sizeof err;
	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return -errno;
	return -err;
}

extern "C" int umc_sock_connect(struct umc_sock *s, const void *addr, int addrlen, long timeo)
{
	int err = connect_host(s, addr, addrlen, timeo);
	if (!err)
		refresh_space(s, true); // established: the host sized its buffers
	return err;
}

extern "C" int umc_sock_listen(struct umc_sock *s, int backlog)
{
	return listen(s->fd, backlog) < 0 ? -errno : 0;
}

extern "C" int umc_sock_accept(struct umc_sock *s, struct umc_sock **newsock, long timeo)
{
	uint64_t deadline = deadline_for(timeo);
	for (;;) {
		int fd = accept4(s->fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			{
				std::lock_guard lk(s->mu);
				if (s->watch && s->cb)
					sys().fd_watch_modify(s->watch, SYS_FD_IN);
			}
			umc_sock *n = wrap(fd);
			if (!n)
				return -ENOMEM;
			*newsock = n;
			return 0;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if (!timeo)
			return -EAGAIN;
		switch (wait_fd(s->fd, POLLIN, deadline)) {
		case Wait::timeout:
			return -EAGAIN;
		case Wait::signal:
			return intr_errno(timeo);
		case Wait::ready:
			break;
		}
	}
}

extern "C" int umc_sock_shutdown(struct umc_sock *s, int how)
{
	return shutdown(s->fd, how) < 0 ? -errno : 0;
}

extern "C" int umc_sock_getname(struct umc_sock *s, void *addr, int *addrlen, bool peer)
{
	socklen_t len = static_cast<socklen_t>(*addrlen);
	int r = peer ? getpeername(s->fd, static_cast<sockaddr *>(addr), &len)
		     : getsockname(s->fd, static_cast<sockaddr *>(addr), &len);
	if (r < 0)
		return -errno;
	*addrlen = static_cast<int>(len);
	return 0;
}

// Send all of iov; on stopping short, *stop is why (see umc/socket.h).
static long send_host(struct umc_sock *s, const struct umc_iov *iov, int iovcnt, int flags, long timeo, int *stop)
{
	if (flags & MSG_DONTWAIT)
		timeo = 0;
	size_t want = iov_total(iov, iovcnt), done = 0;
	uint64_t deadline = deadline_for(timeo);
	std::vector<struct iovec> v;
	v.reserve(static_cast<size_t>(iovcnt));
	int host_flags = (flags & MSG_MORE) | MSG_DONTWAIT | MSG_NOSIGNAL;
	*stop = 0;
	while (done < want) {
		struct msghdr m = {};
		m.msg_iovlen = static_cast<size_t>(fill_iov(iov, iovcnt, done, v));
		m.msg_iov = v.data();
		s->n_sendmsg.fetch_add(1, std::memory_order_relaxed);
		ssize_t r = sendmsg(s->fd, &m, host_flags);
		if (r >= 0) {
			done += static_cast<size_t>(r);
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			*stop = -errno;
			break;
		}
		if (!timeo) {
			*stop = -EAGAIN;
			break;
		}
		Wait w = wait_fd(s->fd, POLLOUT, deadline);
		if (w == Wait::timeout) {
			*stop = -EAGAIN;
			break;
		}
		if (w == Wait::signal) {
			*stop = intr_errno(timeo);
			break;
		}
	}
	return done ? static_cast<long>(done) : *stop;
}

extern "C" long umc_sock_send_stop(struct umc_sock *s, const struct umc_iov *iov, int iovcnt, int flags, long timeo,
				   int *stop)
{
	int why;
	long r = send_host(s, iov, iovcnt, flags, timeo, stop ? stop : &why);
	if (r > 0)
		refresh_space(s, false); // the queue grew
	return r;
}

extern "C" long umc_sock_send(struct umc_sock *s, const struct umc_iov *iov, int iovcnt, int flags, long timeo)
{
	return umc_sock_send_stop(s, iov, iovcnt, flags, timeo, nullptr);
}

// Copy up to `n` buffered bytes into iov at offset `at`; consume them unless
// peeking.  Returns the bytes copied.
static size_t rx_take(struct umc_sock *s, const struct umc_iov *iov, int iovcnt, size_t at, size_t n, bool peek)
{
	n = std::min(n, s->rx_len);
	const char *src = s->rx_buf + s->rx_off;
	size_t left = n;
	for (int i = 0; i < iovcnt && left; i++) {
		size_t len = iov[i].len;
		if (at >= len) {
			at -= len;
			continue;
		}
		size_t c = std::min(len - at, left);
		memcpy(static_cast<char *>(iov[i].base) + at, src, c);
		src += c;
		left -= c;
		at = 0;
	}
	if (!peek) {
		s->rx_off += n;
		s->rx_len -= n;
		if (!s->rx_len)
			s->rx_off = 0;
	}
	return n;
}

// One non-blocking host recvmsg: into iov past `done` (unless peeking, when
// everything goes to the buffer), then into the buffer's free tail.  The
// buffer's unread bytes come first in the stream, so the caller's part is
// only asked for while it is empty.  Returns what recvmsg returned;
// *own is the part that went to iov.
static ssize_t rx_fill(struct umc_sock *s, const struct umc_iov *iov, int iovcnt, size_t done, bool peek,
		       std::vector<struct iovec> &v, size_t *own)
{
	*own = 0;
	if (!s->rx_buf) {
		s->rx_buf = new (std::nothrow) char[UMC_SOCK_RXBUF];
		if (!s->rx_buf) {
			errno = ENOMEM;
			return -1;
		}
	}
	if (s->rx_off && s->rx_off + s->rx_len == UMC_SOCK_RXBUF) {
		memmove(s->rx_buf, s->rx_buf + s->rx_off, s->rx_len);
		s->rx_off = 0;
	}
	size_t caller = 0;
	v.clear();
	if (!peek && !s->rx_len) {
		fill_iov(iov, iovcnt, done, v);
		caller = iov_total(iov, iovcnt) - done;
	}
	size_t tail = s->rx_off + s->rx_len;
	if (tail < UMC_SOCK_RXBUF)
		v.push_back({s->rx_buf + tail, UMC_SOCK_RXBUF - tail});
	struct msghdr m = {};
	m.msg_iov = v.data();
	m.msg_iovlen = v.size();
	s->n_recvmsg.fetch_add(1, std::memory_order_relaxed);
	ssize_t r = recvmsg(s->fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (r > 0) {
		*own = std::min(static_cast<size_t>(r), caller);
		s->rx_len += static_cast<size_t>(r) - *own;
	}
	return r;
}

extern "C" long umc_sock_recv(struct umc_sock *s, const struct umc_iov *iov, int iovcnt, int flags, long timeo)
{
	if (flags & MSG_DONTWAIT)
		timeo = 0;
	size_t want = iov_total(iov, iovcnt), done = 0;
	bool peek = flags & MSG_PEEK;
	bool waitall = (flags & MSG_WAITALL) && !peek;
	uint64_t deadline = deadline_for(timeo);
	std::vector<struct iovec> v;
	v.reserve(static_cast<size_t>(iovcnt) + 1);
	std::unique_lock lk(s->rx_mu);
	if (!want)
		return 0; // tcp_recvmsg copies nothing and returns at once
	for (;;) {
		// A peek wants to see as much as the host has too (up to `want`),
		// so top the buffer up first, without waiting.
		if (peek && s->rx_len && s->rx_len < want && !s->rx_err) {
			size_t own;
			ssize_t r = rx_fill(s, iov, iovcnt, 0, true, v, &own);
			if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				s->rx_err = errno;
		}
		if (s->rx_len) {
			done += rx_take(s, iov, iovcnt, done, want - done, peek);
			if (done == want || !waitall)
				return static_cast<long>(done);
		}
		if (s->rx_err) {
			if (done)
				return static_cast<long>(done);
			int e = s->rx_err;
			if (!peek)
				s->rx_err = 0;
			return -e;
		}
		size_t own;
		ssize_t r = rx_fill(s, iov, iovcnt, done, peek, v, &own);
		if (r > 0) {
			done += own;
			if (done == want || (done && !waitall))
				return static_cast<long>(done);
			continue; // the rest is in the buffer (or a peek's to take)
		}
		if (r == 0)
			return static_cast<long>(done); // orderly shutdown: what we have (0 at EOF)
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			if (done) {
				s->rx_err = errno; // as sk_err: reported by the next call
				return static_cast<long>(done);
			}
			return -errno;
		}
		if (!timeo)
			return done ? static_cast<long>(done) : -EAGAIN;
		lk.unlock(); // as sk_wait_data releases the socket lock
		Wait w = wait_fd(s->fd, POLLIN, deadline);
		lk.lock();
		if (w == Wait::timeout && !s->rx_len)
			return done ? static_cast<long>(done) : -EAGAIN;
		if (w == Wait::signal && !s->rx_len)
			return done ? static_cast<long>(done) : intr_errno(timeo);
	}
}

extern "C" void umc_sock_get_calls(const struct umc_sock *s, struct umc_sock_calls *calls)
{
	calls->sendmsg = s->n_sendmsg.load(std::memory_order_relaxed);
	calls->recvmsg = s->n_recvmsg.load(std::memory_order_relaxed);
}

extern "C" int umc_sock_outq(struct umc_sock *s)
{
	int v = 0;
	return ioctl(s->fd, SIOCOUTQ, &v) < 0 ? -errno : v;
}

extern "C" int umc_sock_set_space_cb(struct umc_sock *s, void (*cb)(void *, const struct umc_sock_space *), void *arg)
{
	{
		std::lock_guard lk(s->space_mu);
		if (cb && !s->space_alarm) {
			int r = sys().alarm_create(&s->space_alarm, softirq_task(), space_tick, s);
			if (r)
				return r;
		}
		s->space_cb = cb;
		s->space_arg = arg;
	}
	if (!cb) {
		if (s->space_alarm)
			sys().alarm_cancel(s->space_alarm);
		std::lock_guard lk(s->space_mu);
		s->space_pending = false;
		return 0;
	}
	refresh_space(s, true);
	return 0;
}

extern "C" int umc_sock_set_listen_cb(struct umc_sock *s, void (*cb)(void *), void *arg)
{
	sys_fd_watch_t *old = nullptr;
	{
		std::lock_guard lk(s->mu);
		s->cb = cb;
		s->cb_arg = arg;
		if (!cb) {
			old = s->watch;
			s->watch = nullptr;
		} else if (!s->watch) {
			int r = sys().fd_watch_create(&s->watch, softirq_task(), s->fd, SYS_FD_IN, listen_ready, s);
			if (r)
				return r;
		} else {
			sys().fd_watch_modify(s->watch, SYS_FD_IN);
		}
	}
	if (old)
		sys().fd_watch_destroy(old);
	return 0;
}
