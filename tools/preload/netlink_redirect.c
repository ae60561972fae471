/* netlink_redirect.c - generic netlink sockets become AF_UNIX SOCK_SEQPACKET
 * connections to umcd, which hosts DRBD's genetlink family.
 *
 * SOCK_SEQPACKET keeps message boundaries and supports MSG_PEEK|MSG_TRUNC the
 * way netlink datagrams do, which libgenl's peek-then-read relies on.  One
 * connection per socket; umcd learns the port id from nlmsg_pid (getpid()) and
 * the peer's credentials from SO_PEERCRED.
 *
 * What differs from a netlink socket, and how each difference is hidden:
 *   bind(sockaddr_nl)       AF_UNIX refuses it: validated, the legacy group mask is
 *                           recorded and each group joined in-band, then 0
 *   getsockname()           sockaddr_nl{AF_NETLINK, nl_pid = getpid(), nl_groups}
 *   setsockopt(SOL_NETLINK) ADD/DROP_MEMBERSHIP travel in-band (UMC_NLMSG_JOIN/LEAVE,
 *                           below); other SOL_NETLINK options are accepted and ignored
 *   recvmsg/recvfrom        the source address is sockaddr_nl{AF_NETLINK, nl_pid 0}
 *                           (the kernel), length 12, which libgenl checks
 *   write/send*             MSG_NOSIGNAL: netlink never raises SIGPIPE.  A vanished
 *                           umcd gives ECONNREFUSED (EPIPE is not a netlink errno)
 *   end of stream           netlink has no EOF: recv of 0 bytes from a closed
 *                           connection becomes -1/ECONNRESET, so callers do not spin
 *
 * In-band membership messages (umcd consumes them, never replies):
 *   struct nlmsghdr { nlmsg_len = 20, nlmsg_type = 0xfff0 join | 0xfff1 leave,
 *                     nlmsg_flags = NLM_F_REQUEST, nlmsg_seq = 0, nlmsg_pid = getpid() }
 *   uint32_t group   (native byte order, the multicast group id as given to setsockopt)
 * Types 0xfff0/0xfff1 are far above any genetlink family id the kernel hands out. */
#define _GNU_SOURCE
#include "preload.h"
#include "real_libc.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define UMC_NLMSG_JOIN  0xfff0
#define UMC_NLMSG_LEAVE 0xfff1

static bool is_redirected(int fd)
{
	return umc_fd_is(fd, UMC_FD_NETLINK);
}

/* socket() cannot reach umcd.  The errno is EPROTONOSUPPORT, what socket()
 * says when the kernel lacks the netlink protocol: "the kernel side is not
 * there" is exactly the situation, and callers that probe for generic netlink
 * handle that errno.  A one-line hint names the socket, since drbd-utils only
 * print a generic message. */
static int ctl_unreachable(int connect_errno)
{
	const struct umc_preload_config *c = umc_config();
	char line[512];
	int n = snprintf(line, sizeof line,
			 "libumc-preload: cannot reach umcd's control socket %s: %s "
			 "(is umcd running for UMC_FS_ROOT=%s?)\n",
			 c->ctl_name[0] ? c->ctl_name : "(name too long)", strerror(connect_errno), c->fs_root);
	if (n > 0)
		(void)!REAL(write)(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	errno = EPROTONOSUPPORT;
	return -1;
}

static int send_membership(int fd, uint16_t type, uint32_t group)
{
	struct {
		struct nlmsghdr h;
		uint32_t group;
	} msg = {
		.h = {.nlmsg_len = sizeof msg,
		      .nlmsg_type = type,
		      .nlmsg_flags = NLM_F_REQUEST,
		      .nlmsg_seq = 0,
		      .nlmsg_pid = (uint32_t)getpid()},
		.group = group,
	};
	ssize_t n = REAL(send)(fd, &msg, sizeof msg, MSG_NOSIGNAL);
	if (n < 0)
		return errno == EPIPE ? (errno = ECONNREFUSED, -1) : -1;
	return 0;
}

UMC_EXPORT int socket(int domain, int type, int protocol)
{
	if (domain != AF_NETLINK || protocol != NETLINK_GENERIC || !umc_active()) {
		int fd = REAL(socket)(domain, type, protocol);
		if (fd >= 0) {
			int saved_errno = errno;
			umc_fd_forget(fd); /* see umc_fd_note_open: new fds start clean */
			errno = saved_errno;
		}
		return fd;
	}
	int base_type = type & ~(SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (base_type != SOCK_DGRAM && base_type != SOCK_RAW) {
		errno = ESOCKTNOSUPPORT; /* what netlink says for other types */
		return -1;
	}
	const struct umc_preload_config *c = umc_config();
	if (c->ctl_addr_len == 0)
		return ctl_unreachable(ENAMETOOLONG);
	/* Connect blocking, then apply SOCK_NONBLOCK: a non-blocking connect of a
	 * seqpacket socket may return EAGAIN while umcd's backlog is full. */
	int fd = REAL(socket)(AF_UNIX, SOCK_SEQPACKET | (type & SOCK_CLOEXEC), 0);
	if (fd < 0)
		return -1;
	int r;
	do
		r = connect(fd, (const struct sockaddr *)&c->ctl_addr, c->ctl_addr_len);
	while (r != 0 && errno == EINTR);
	if (r != 0) {
		int err = errno;
		REAL(close)(fd);
		return ctl_unreachable(err);
	}
	if (type & SOCK_NONBLOCK) {
		int fl = REAL(fcntl)(fd, F_GETFL);
		if (fl < 0 || REAL(fcntl)(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
			int err = errno;
			REAL(close)(fd);
			errno = err;
			return -1;
		}
	}
	struct umc_fd_info info = {.kind = UMC_FD_NETLINK};
	umc_fd_set(fd, &info);
	umc_debug("netlink socket %d -> %s", fd, c->ctl_name);
	return fd;
}

UMC_EXPORT int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	if (!is_redirected(fd))
		return REAL(bind)(fd, addr, len);
	if (!addr || len < sizeof(struct sockaddr_nl) || addr->sa_family != AF_NETLINK) {
		errno = EINVAL;
		return -1;
	}
	struct sockaddr_nl nl;
	memcpy(&nl, addr, sizeof nl);
	/* The legacy bitmask names groups 1..32: bit i is group i+1. */
	for (unsigned i = 0; i < 32; i++)
		if ((nl.nl_groups & (1u << i)) && send_membership(fd, UMC_NLMSG_JOIN, i + 1) != 0)
			return -1;
	struct umc_fd_info info = umc_fd_get(fd);
	info.nl_groups = nl.nl_groups;
	umc_fd_set(fd, &info);
	return 0;
}

static void fill_nl_addr(struct sockaddr *addr, socklen_t *len, uint32_t pid, uint32_t groups)
{
	struct sockaddr_nl nl = {.nl_family = AF_NETLINK, .nl_pid = pid, .nl_groups = groups};
	if (addr && len) {
		/* Truncate to the caller's buffer; report the full length, as the kernel does. */
		memcpy(addr, &nl, *len < sizeof nl ? *len : sizeof nl);
	}
	if (len)
		*len = sizeof nl;
}

UMC_EXPORT int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct umc_fd_info info = umc_fd_get(fd);
	if (info.kind != UMC_FD_NETLINK)
		return REAL(getsockname)(fd, addr, len);
	if (!len) {
		errno = EFAULT;
		return -1;
	}
	fill_nl_addr(addr, len, (uint32_t)getpid(), info.nl_groups);
	return 0;
}

UMC_EXPORT int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	if (!is_redirected(fd))
		return REAL(getpeername)(fd, addr, len);
	if (!len) {
		errno = EFAULT;
		return -1;
	}
	fill_nl_addr(addr, len, 0, 0);
	return 0;
}

UMC_EXPORT int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	if (level != SOL_NETLINK || !is_redirected(fd))
		return REAL(setsockopt)(fd, level, name, val, len);
	if (name == NETLINK_ADD_MEMBERSHIP || name == NETLINK_DROP_MEMBERSHIP) {
		uint32_t group;
		if (!val || len < sizeof group) {
			errno = EINVAL;
			return -1;
		}
		memcpy(&group, val, sizeof group);
		umc_debug("netlink fd %d %s group %u", fd, name == NETLINK_ADD_MEMBERSHIP ? "join" : "leave", group);
		return send_membership(fd, name == NETLINK_ADD_MEMBERSHIP ? UMC_NLMSG_JOIN : UMC_NLMSG_LEAVE, group);
	}
	/* NETLINK_EXT_ACK, NETLINK_CAP_ACK, NETLINK_NO_ENOBUFS, ...: flags that only
	 * tune what the kernel adds to replies; umcd's replies are fixed. */
	return 0;
}

/* ---- data transfer ---------------------------------------------------------- */

static ssize_t sent(ssize_t n)
{
	if (n < 0 && errno == EPIPE)
		errno = ECONNREFUSED;
	return n;
}

/* A 0-byte receive on a connected seqpacket socket is the end of the stream
 * (umcd closed or died); netlink has no such thing. */
static ssize_t received(ssize_t n, size_t asked)
{
	if (n == 0 && asked > 0) {
		errno = ECONNRESET;
		return -1;
	}
	return n;
}

UMC_EXPORT ssize_t write(int fd, const void *buf, size_t count)
{
	if (!is_redirected(fd))
		return REAL(write)(fd, buf, count);
	return sent(REAL(send)(fd, buf, count, MSG_NOSIGNAL));
}

UMC_EXPORT ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	if (!is_redirected(fd))
		return REAL(writev)(fd, iov, iovcnt);
	struct msghdr msg = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)iovcnt};
	return sent(REAL(sendmsg)(fd, &msg, MSG_NOSIGNAL));
}

UMC_EXPORT ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	if (!is_redirected(fd))
		return REAL(send)(fd, buf, len, flags);
	return sent(REAL(send)(fd, buf, len, flags | MSG_NOSIGNAL));
}

/* A destination address on a connected AF_UNIX socket is EISCONN; for netlink
 * it names the kernel (nl_pid 0), which is where the connection goes anyway. */
UMC_EXPORT ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *dest,
			  socklen_t dest_len)
{
	if (!is_redirected(fd))
		return REAL(sendto)(fd, buf, len, flags, dest, dest_len);
	return sent(REAL(send)(fd, buf, len, flags | MSG_NOSIGNAL));
}

UMC_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	if (!is_redirected(fd))
		return REAL(sendmsg)(fd, msg, flags);
	struct msghdr copy = *msg;
	copy.msg_name = NULL;
	copy.msg_namelen = 0;
	return sent(REAL(sendmsg)(fd, &copy, flags | MSG_NOSIGNAL));
}

static size_t iov_total(const struct iovec *iov, size_t n)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += iov[i].iov_len;
	return total;
}

UMC_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	if (!is_redirected(fd))
		return REAL(recvmsg)(fd, msg, flags);
	void *name = msg->msg_name;
	socklen_t name_len = msg->msg_namelen;
	msg->msg_name = NULL;
	msg->msg_namelen = 0;
	ssize_t n = REAL(recvmsg)(fd, msg, flags);
	msg->msg_name = name;
	msg->msg_namelen = name_len;
	n = received(n, iov_total(msg->msg_iov, msg->msg_iovlen));
	if (n >= 0 && name)
		fill_nl_addr(name, &msg->msg_namelen, 0, 0);
	else if (n >= 0)
		msg->msg_namelen = 0;
	return n;
}

UMC_EXPORT ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	if (!is_redirected(fd))
		return REAL(recv)(fd, buf, len, flags);
	return received(REAL(recv)(fd, buf, len, flags), len);
}

UMC_EXPORT ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *src, socklen_t *src_len)
{
	if (!is_redirected(fd))
		return REAL(recvfrom)(fd, buf, len, flags, src, src_len);
	ssize_t n = received(REAL(recvfrom)(fd, buf, len, flags, NULL, NULL), len);
	if (n >= 0 && src && src_len)
		fill_nl_addr(src, src_len, 0, 0);
	return n;
}
