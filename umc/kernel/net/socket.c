// SPDX-License-Identifier: GPL-2.0
/* Kernel TCP sockets on the runtime's host sockets (umc/socket.h).
 *
 * struct socket and struct sock are allocated together.  DRBD writes sock
 * fields directly; we read them at the moment they matter: the timeouts on
 * every send/recv/connect/accept, buffer sizes (with SOCK_*BUF_LOCK) and
 * reuse before bind/connect/listen, sk_priority before bind/connect/listen
 * and again on each send (DRBD sets it once the connection is up, and the
 * kernel reads it per packet).  The fields DRBD reads to pace itself,
 * sk_wmem_queued and the unlocked sk_sndbuf/sk_rcvbuf, are kept current by
 * the runtime's space callback (umc/socket.h).  A listening socket's
 * sk_state_change is called, under sk_callback_lock, with a child sock in
 * TCP_ESTABLISHED that carries the listener's sk_user_data; kernel_accept
 * gives a sock that inherits what sk_clone_lock copies. */
#include <linux/net.h>
#include <linux/tcp.h>
#include <linux/fcntl.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <net/sock.h>

struct umc_ksocket {
	struct socket sock;
	struct sock sk;
	u32 host_priority; /* the SO_PRIORITY the host socket has */
};

static const struct proto_ops umc_inet_stream_ops;

static void sock_def_state_change(struct sock *sk) {}

/* The runtime read the host socket: mirror it as the kernel's fields. */
static void space_changed(void *arg, const struct umc_sock_space *space)
{
	struct sock *sk = arg;

	WRITE_ONCE(sk->sk_wmem_queued, space->wmem_queued);
	if (space->sndbuf && !(READ_ONCE(sk->sk_userlocks) & SOCK_SNDBUF_LOCK))
		WRITE_ONCE(sk->sk_sndbuf, space->sndbuf);
	if (space->rcvbuf && !(READ_ONCE(sk->sk_userlocks) & SOCK_RCVBUF_LOCK))
		WRITE_ONCE(sk->sk_rcvbuf, space->rcvbuf);
}

static struct socket *wrap(struct umc_sock *us, int family, int type)
{
	struct umc_ksocket *ks = kzalloc(sizeof(*ks), GFP_KERNEL);

	if (!ks)
		return NULL;
	ks->sock.sk = &ks->sk;
	ks->sock.ops = &umc_inet_stream_ops;
	ks->sock.type = type;
	ks->sock.state = SS_UNCONNECTED;
	ks->sk.sk_family = family;
	ks->sk.sk_state = TCP_CLOSE;
	ks->sk.sk_socket = &ks->sock;
	ks->sk.sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
	ks->sk.sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;
	ks->sk.sk_allocation = GFP_KERNEL;
	ks->sk.sk_use_task_frag = true;
	ks->sk.sk_state_change = sock_def_state_change;
	rwlock_init(&ks->sk.sk_callback_lock);
	ks->sk.umc = us;
	if (umc_sock_set_space_cb(us, space_changed, &ks->sk)) {
		kfree(ks);
		return NULL;
	}
	return &ks->sock;
}

int sock_create_kern(struct net *net, int family, int type, int protocol, struct socket **res)
{
	struct umc_sock *us;
	struct socket *sock;
	int err = umc_sock_create(family, type, protocol, &us);

	if (err)
		return err;
	sock = wrap(us, family, type);
	if (!sock) {
		umc_sock_release(us);
		return -ENOMEM;
	}
	*res = sock;
	return 0;
}

void sock_release(struct socket *sock)
{
	if (!sock)
		return;
	umc_sock_release(sock->sk->umc);
	kfree(container_of(sock, struct umc_ksocket, sock));
}

/* The host socket follows sk_priority as the kernel's packets do. */
static void apply_priority(struct sock *sk)
{
	struct umc_ksocket *ks = container_of(sk, struct umc_ksocket, sk);
	u32 prio = READ_ONCE(sk->sk_priority);
	int val = prio;

	if (prio == ks->host_priority)
		return;
	if (!umc_sock_setsockopt(sk->umc, SOL_SOCKET, SO_PRIORITY, &val, sizeof(val)))
		ks->host_priority = prio;
}

/* What DRBD set in the sock before bind/connect/listen. */
static void apply_presets(struct sock *sk)
{
	int one = 1;
	int sndbuf = (sk->sk_userlocks & SOCK_SNDBUF_LOCK) ? sk->sk_sndbuf : 0;
	int rcvbuf = (sk->sk_userlocks & SOCK_RCVBUF_LOCK) ? sk->sk_rcvbuf : 0;

	if (sndbuf || rcvbuf)
		umc_sock_set_bufsize(sk->umc, sndbuf, rcvbuf);
	if (sk->sk_reuse)
		umc_sock_setsockopt(sk->umc, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	apply_priority(sk);
}

static int umc_inet_bind(struct socket *sock, struct sockaddr *addr, int len)
{
	apply_presets(sock->sk);
	return umc_sock_bind(sock->sk->umc, addr, len);
}

static int umc_inet_connect(struct socket *sock, struct sockaddr *addr, int len, int flags)
{
	struct sock *sk = sock->sk;
	long timeo = (flags & O_NONBLOCK) ? 0 : READ_ONCE(sk->sk_sndtimeo);
	int err;

	apply_presets(sk);
	err = umc_sock_connect(sk->umc, addr, len, timeo);
	if (!err) {
		sk->sk_state = TCP_ESTABLISHED;
		sock->state = SS_CONNECTED;
	}
	return err;
}

/* The runtime says a connection is waiting on the listener @arg. */
static void listen_ready(void *arg)
{
	struct sock *listener = arg;
	struct sock child = {0};

	child.sk_state = TCP_ESTABLISHED;
	child.sk_family = listener->sk_family;
	read_lock(&listener->sk_callback_lock);
	child.sk_user_data = listener->sk_user_data;
	listener->sk_state_change(&child);
	read_unlock(&listener->sk_callback_lock);
}

static int umc_inet_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err;

	apply_presets(sk);
	err = umc_sock_listen(sk->umc, backlog);
	if (err)
		return err;
	sk->sk_state = TCP_LISTEN;
	return umc_sock_set_listen_cb(sk->umc, listen_ready, sk);
}

static int umc_inet_accept(struct socket *sock, struct socket *newsock, int flags, bool kern)
{
	return -EOPNOTSUPP; /* kernel_accept() is the way in */
}

static int umc_inet_getname(struct socket *sock, struct sockaddr *addr, int peer)
{
	int len = sizeof(struct sockaddr_storage);
	int err = umc_sock_getname(sock->sk->umc, addr, &len, peer);

	return err ? err : len;
}

static int umc_inet_shutdown(struct socket *sock, int how)
{
	return umc_sock_shutdown(sock->sk->umc, how);
}

/* The kvec segments of @it as the runtime's iovs (at most 16). */
static int to_iovs(const struct iov_iter *it, struct umc_iov *iov, int max)
{
	size_t left = it->count, off = it->iov_offset;
	unsigned long i;
	int n = 0;

	for (i = 0; i < it->nr_segs && left && n < max; i++, off = 0) {
		size_t len = min(it->kvec[i].iov_len - off, left);

		iov[n].base = (char *)it->kvec[i].iov_base + off;
		iov[n].len = len;
		left -= len;
		n++;
	}
	return n;
}

int sock_sendmsg(struct socket *sock, struct msghdr *msg)
{
	struct sock *sk = sock->sk;
	struct umc_iov iov[16];
	int n = to_iovs(&msg->msg_iter, iov, ARRAY_SIZE(iov));
	long timeo = (msg->msg_flags & MSG_DONTWAIT) ? 0 : READ_ONCE(sk->sk_sndtimeo);
	long ret;

	apply_priority(sk);
	ret = umc_sock_send(sk->umc, iov, n, msg->msg_flags | MSG_NOSIGNAL, timeo);
	if (ret > 0)
		iov_iter_advance(&msg->msg_iter, ret);
	return (int)ret;
}

int sock_recvmsg(struct socket *sock, struct msghdr *msg, int flags)
{
	struct sock *sk = sock->sk;
	struct umc_iov iov[16];
	int n = to_iovs(&msg->msg_iter, iov, ARRAY_SIZE(iov));
	long timeo = (flags & MSG_DONTWAIT) ? 0 : READ_ONCE(sk->sk_rcvtimeo);
	long ret = umc_sock_recv(sk->umc, iov, n, flags, timeo);

	if (ret > 0 && !(flags & MSG_PEEK))
		iov_iter_advance(&msg->msg_iter, ret);
	return (int)ret;
}

int kernel_sendmsg(struct socket *sock, struct msghdr *msg, struct kvec *vec, size_t num, size_t size)
{
	iov_iter_kvec(&msg->msg_iter, ITER_SOURCE, vec, num, size);
	return sock_sendmsg(sock, msg);
}

int kernel_recvmsg(struct socket *sock, struct msghdr *msg, struct kvec *vec, size_t num, size_t size, int flags)
{
	iov_iter_kvec(&msg->msg_iter, ITER_DEST, vec, num, size);
	return sock_recvmsg(sock, msg, flags);
}

/* sendpage copies synchronously: the page is not referenced after return
 * (DRBD then sees page_count == 1 and recycles it at once). */
static ssize_t umc_inet_sendpage(struct socket *sock, struct page *page, int offset, size_t size, int flags)
{
	struct kvec kv = {.iov_base = (char *)page_address(page) + offset, .iov_len = size};
	struct msghdr msg = {.msg_flags = flags};

	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &kv, 1, size);
	return sock_sendmsg(sock, &msg);
}

/* What sk_clone_lock copies from the listener into the child and
 * inet_csk_accept leaves there.  The host child already inherited the
 * listener's buffer sizes and reuse; its priority is set here (the host
 * does not carry it over). */
static void inherit_from_listener(struct sock *child, struct sock *listener)
{
	child->sk_userlocks = listener->sk_userlocks;
	if (listener->sk_userlocks & SOCK_SNDBUF_LOCK)
		child->sk_sndbuf = listener->sk_sndbuf;
	if (listener->sk_userlocks & SOCK_RCVBUF_LOCK)
		child->sk_rcvbuf = listener->sk_rcvbuf;
	child->sk_reuse = listener->sk_reuse;
	child->sk_priority = listener->sk_priority;
	child->sk_rcvtimeo = listener->sk_rcvtimeo;
	child->sk_sndtimeo = listener->sk_sndtimeo;
	child->sk_allocation = listener->sk_allocation;
	child->sk_use_task_frag = listener->sk_use_task_frag;
	read_lock(&listener->sk_callback_lock);
	child->sk_user_data = listener->sk_user_data;
	child->sk_state_change = listener->sk_state_change;
	read_unlock(&listener->sk_callback_lock);
	apply_priority(child);
}

int kernel_accept(struct socket *sock, struct socket **newsock, int flags)
{
	struct sock *sk = sock->sk;
	long timeo = (flags & O_NONBLOCK) ? 0 : READ_ONCE(sk->sk_rcvtimeo);
	struct umc_sock *nus;
	struct socket *ns;
	int err = umc_sock_accept(sk->umc, &nus, timeo);

	if (err)
		return err;
	ns = wrap(nus, sk->sk_family, sock->type);
	if (!ns) {
		umc_sock_release(nus);
		return -ENOMEM;
	}
	inherit_from_listener(ns->sk, sk);
	ns->sk->sk_state = TCP_ESTABLISHED;
	ns->state = SS_CONNECTED;
	*newsock = ns;
	return 0;
}

int kernel_sock_shutdown(struct socket *sock, enum sock_shutdown_cmd how)
{
	return umc_sock_shutdown(sock->sk->umc, how);
}

int kernel_getsockname(struct socket *sock, struct sockaddr *addr)
{
	return umc_inet_getname(sock, addr, 0);
}
int kernel_getpeername(struct socket *sock, struct sockaddr *addr)
{
	return umc_inet_getname(sock, addr, 1);
}

static void set_tcp_opt(struct sock *sk, int name, int val)
{
	umc_sock_setsockopt(sk->umc, IPPROTO_TCP, name, &val, sizeof(val));
}

void tcp_sock_set_cork(struct sock *sk, bool on)
{
	set_tcp_opt(sk, TCP_CORK, on);
}
void tcp_sock_set_nodelay(struct sock *sk)
{
	set_tcp_opt(sk, TCP_NODELAY, 1);
}
void tcp_sock_set_quickack(struct sock *sk, int val)
{
	set_tcp_opt(sk, TCP_QUICKACK, val);
}
int tcp_sock_set_keepidle(struct sock *sk, int val)
{
	set_tcp_opt(sk, TCP_KEEPIDLE, val);
	return 0;
}
void sock_set_keepalive(struct sock *sk)
{
	int one = 1;
	umc_sock_setsockopt(sk->umc, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
}
void sock_set_priority(struct sock *sk, u32 priority)
{
	sk->sk_priority = priority;
}

static int umc_inet_release(struct socket *sock)
{
	return 0;
}

static const struct proto_ops umc_inet_stream_ops = {
	.family = AF_INET,
	.release = umc_inet_release,
	.bind = umc_inet_bind,
	.connect = umc_inet_connect,
	.accept = umc_inet_accept,
	.getname = umc_inet_getname,
	.listen = umc_inet_listen,
	.shutdown = umc_inet_shutdown,
	.sendpage = umc_inet_sendpage,
};
