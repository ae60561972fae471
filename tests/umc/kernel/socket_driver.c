// SPDX-License-Identifier: GPL-2.0
/* See socket_driver.h. */
#include <linux/kernel.h>
#include <linux/completion.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/jiffies.h>
#include <linux/pkt_sched.h>
#include <linux/net.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <umc/socket.h>
#include "socket_driver.h"

#define SOL_SOCKET_HOST  1 /* Linux's SOL_SOCKET */
#define SO_SNDBUF_HOST   7
#define SO_RCVBUF_HOST   8
#define SO_PRIORITY_HOST 12

struct door {
	struct completion bell;
	void (*original)(struct sock *sk);
};

static void door_bell(struct sock *sk)
{
	struct door *d = sk->sk_user_data;

	if (sk->sk_state == TCP_ESTABLISHED)
		complete(&d->bell);
	d->original(sk);
}

/* A loopback listener with DRBD's door bell on it; `setup` may preset the
 * listener's sock before bind. */
struct pair {
	struct socket *lst, *cli, *srv;
	struct door door;
};

static int pair_listen(struct pair *p, struct sockaddr_in *addr)
{
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	init_completion(&p->door.bell);
	if (sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &p->lst))
		return -1;
	return 0;
}

static int pair_connect(struct pair *p, struct sockaddr_in *addr)
{
	if (p->lst->ops->bind(p->lst, (struct sockaddr *)addr, sizeof(*addr)))
		return -1;
	if (kernel_getsockname(p->lst, (struct sockaddr *)addr) != sizeof(*addr))
		return -1;
	write_lock_bh(&p->lst->sk->sk_callback_lock);
	p->door.original = p->lst->sk->sk_state_change;
	p->lst->sk->sk_state_change = door_bell;
	p->lst->sk->sk_user_data = &p->door;
	write_unlock_bh(&p->lst->sk->sk_callback_lock);
	if (p->lst->ops->listen(p->lst, 5))
		return -1;
	if (sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &p->cli))
		return -1;
	p->cli->sk->sk_sndtimeo = 5 * HZ;
	if (p->cli->ops->connect(p->cli, (struct sockaddr *)addr, sizeof(*addr), 0))
		return -1;
	if (wait_for_completion_interruptible_timeout(&p->door.bell, 5 * HZ) <= 0)
		return -1;
	return kernel_accept(p->lst, &p->srv, 0) ? -1 : 0;
}

static void pair_close(struct pair *p)
{
	sock_release(p->srv);
	sock_release(p->cli);
	sock_release(p->lst);
}

static int send_bytes(struct socket *s, void *buf, size_t len, int flags)
{
	struct kvec kv = {.iov_base = buf, .iov_len = len};
	struct msghdr msg = {.msg_flags = flags | MSG_NOSIGNAL};

	return kernel_sendmsg(s, &msg, &kv, 1, len);
}

static int recv_bytes(struct socket *s, void *buf, size_t len, int flags)
{
	struct kvec kv = {.iov_base = buf, .iov_len = len};
	struct msghdr msg = {0};

	return kernel_recvmsg(s, &msg, &kv, 1, len, flags | MSG_NOSIGNAL);
}

int ksd_socket_sizes_start_and_grow(int tcp_wmem1, int tcp_rmem1, ksd_host_sockopt_fn host_opt)
{
	struct pair p = {0};
	struct sockaddr_in addr;
	int step = 0;

	step++;
	if (pair_listen(&p, &addr))
		goto out;
	step++;
	if (p.lst->sk->sk_sndbuf != tcp_wmem1 || p.lst->sk->sk_rcvbuf != tcp_rmem1)
		goto out;
	step++;
	if (p.lst->sk->sk_wmem_queued != 0)
		goto out;
	step++;
	if (pair_connect(&p, &addr))
		goto out;
	step++;
	if (p.cli->sk->sk_sndbuf <= tcp_wmem1)
		goto out;
	step++;
	if (p.cli->sk->sk_sndbuf != host_opt(umc_sock_fd(p.cli->sk->umc), SOL_SOCKET_HOST, SO_SNDBUF_HOST))
		goto out;
	step++;
	if (p.srv->sk->sk_sndbuf != host_opt(umc_sock_fd(p.srv->sk->umc), SOL_SOCKET_HOST, SO_SNDBUF_HOST))
		goto out;
	step = 0;
out:
	pair_close(&p);
	return step;
}

int ksd_socket_wmem_queued_follows_acks(long limit_jiffies)
{
	const size_t len = 16 << 20;
	struct pair p = {0};
	struct sockaddr_in addr;
	char *buf = vmalloc(len);
	int step = 0, sent, got = 0;
	unsigned long end;

	step++;
	if (!buf || pair_listen(&p, &addr) || pair_connect(&p, &addr))
		goto out;
	/* More than both buffers hold: the send stops part way, with bytes
	 * queued and unacknowledged. */
	sent = send_bytes(p.cli, buf, len, MSG_DONTWAIT);
	step++;
	if (sent <= 0 || sent == (int)len)
		goto out;
	step++;
	if (READ_ONCE(p.cli->sk->sk_wmem_queued) <= 0)
		goto out;
	/* The peer takes everything; the sender makes no further call. */
	p.srv->sk->sk_rcvtimeo = 5 * HZ;
	while (got < sent) {
		int r = recv_bytes(p.srv, buf, len, 0);
		step = 4;
		if (r <= 0)
			goto out;
		got += r;
	}
	end = jiffies + limit_jiffies;
	while (READ_ONCE(p.cli->sk->sk_wmem_queued) > 0 && time_before(jiffies, end))
		schedule_timeout_interruptible(1);
	step = 5;
	if (READ_ONCE(p.cli->sk->sk_wmem_queued) != 0)
		goto out;
	/* make_resync_request's test, as DRBD reads it. */
	step = 6;
	if (READ_ONCE(p.cli->sk->sk_wmem_queued) > READ_ONCE(p.cli->sk->sk_sndbuf) / 2)
		goto out;
	step = 0;
out:
	pair_close(&p);
	vfree(buf);
	return step;
}

static void listener_hook(struct sock *sk) {}

int ksd_socket_accept_inherits_listener(ksd_host_sockopt_fn host_opt)
{
	const int snd = 6 << 20, rcv = 3 << 20; /* above net.core.[rw]mem_max defaults */
	struct pair p = {0};
	struct sockaddr_in addr;
	struct sock *lsk, *csk;
	int step = 0, fd;

	step++;
	if (pair_listen(&p, &addr))
		goto out;
	lsk = p.lst->sk;
	/* drbd_setbufsize(): open-coded, before bind. */
	lsk->sk_sndbuf = snd;
	lsk->sk_userlocks |= SOCK_SNDBUF_LOCK;
	lsk->sk_rcvbuf = rcv;
	lsk->sk_userlocks |= SOCK_RCVBUF_LOCK;
	lsk->sk_priority = 4;
	lsk->sk_rcvtimeo = 7 * HZ;
	lsk->sk_reuse = SK_CAN_REUSE;
	step++;
	if (pair_connect(&p, &addr))
		goto out;
	step++;
	if (lsk->sk_sndbuf != snd || lsk->sk_rcvbuf != rcv)
		goto out; /* locked: never overwritten */
	csk = p.srv->sk;
	step++;
	if (csk->sk_sndbuf != snd || csk->sk_rcvbuf != rcv)
		goto out;
	step++;
	if ((csk->sk_userlocks & (SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK)) != (SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK))
		goto out;
	step++;
	if (csk->sk_priority != 4 || csk->sk_rcvtimeo != 7 * HZ || csk->sk_reuse != SK_CAN_REUSE)
		goto out;
	step++;
	if (csk->sk_user_data != &p.door || csk->sk_state_change != door_bell)
		goto out;
	fd = umc_sock_fd(csk->umc);
	step++;
	if (host_opt(fd, SOL_SOCKET_HOST, SO_SNDBUF_HOST) != snd)
		goto out;
	step++;
	if (host_opt(fd, SOL_SOCKET_HOST, SO_RCVBUF_HOST) != rcv)
		goto out;
	step++;
	if (host_opt(fd, SOL_SOCKET_HOST, SO_PRIORITY_HOST) != 4)
		goto out;
	/* A locked size stays DRBD's even while the queue moves. */
	{
		char b[4096] = {0};
		step++;
		if (send_bytes(p.srv, b, sizeof(b), 0) != sizeof(b))
			goto out;
		step++;
		if (recv_bytes(p.cli, b, sizeof(b), MSG_WAITALL) != sizeof(b))
			goto out;
		step++;
		if (csk->sk_sndbuf != snd)
			goto out;
	}
	/* unregister_state_change() on the child, as DRBD does. */
	csk->sk_state_change = listener_hook;
	csk->sk_user_data = NULL;
	step = 0;
out:
	pair_close(&p);
	return step;
}

int ksd_socket_priority_reaches_established(ksd_host_sockopt_fn host_opt)
{
	struct pair p = {0};
	struct sockaddr_in addr;
	char b = 'x';
	int step = 0;

	step++;
	if (pair_listen(&p, &addr) || pair_connect(&p, &addr))
		goto out;
	step++;
	if (host_opt(umc_sock_fd(p.cli->sk->umc), SOL_SOCKET_HOST, SO_PRIORITY_HOST) != 0)
		goto out;
	p.cli->sk->sk_priority = TC_PRIO_INTERACTIVE;
	step++;
	if (send_bytes(p.cli, &b, 1, 0) != 1)
		goto out;
	step++;
	if (host_opt(umc_sock_fd(p.cli->sk->umc), SOL_SOCKET_HOST, SO_PRIORITY_HOST) != TC_PRIO_INTERACTIVE)
		goto out;
	step = 0;
out:
	pair_close(&p);
	return step;
}

int ksd_socket_loopback(void)
{
	struct socket *lst = NULL, *cli = NULL, *srv = NULL;
	struct sockaddr_in addr = {.sin_family = AF_INET};
	struct door door;
	char buf[16];
	struct kvec kv;
	struct msghdr msg = {0};
	int step = 0, err, len;

	init_completion(&door.bell);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	step++;
	if (sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &lst))
		goto out;
	lst->sk->sk_reuse = SK_CAN_REUSE;
	lst->sk->sk_rcvbuf = 1 << 20;
	lst->sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
	step++;
	if (lst->ops->bind(lst, (struct sockaddr *)&addr, sizeof(addr)))
		goto out;
	len = kernel_getsockname(lst, (struct sockaddr *)&addr);
	step++;
	if (len != sizeof(addr) || addr.sin_port == 0)
		goto out;
	write_lock_bh(&lst->sk->sk_callback_lock);
	door.original = lst->sk->sk_state_change;
	lst->sk->sk_state_change = door_bell;
	lst->sk->sk_user_data = &door;
	write_unlock_bh(&lst->sk->sk_callback_lock);
	step++;
	if (lst->ops->listen(lst, 5))
		goto out;

	step++;
	if (sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &cli))
		goto out;
	cli->sk->sk_sndtimeo = 5 * HZ;
	step++;
	if (cli->ops->connect(cli, (struct sockaddr *)&addr, sizeof(addr), 0))
		goto out;
	step++;
	if (cli->sk->sk_state != TCP_ESTABLISHED)
		goto out;
	step++;
	if (wait_for_completion_interruptible_timeout(&door.bell, 5 * HZ) <= 0)
		goto out;
	step++;
	if (kernel_accept(lst, &srv, 0))
		goto out;
	tcp_sock_set_nodelay(cli->sk);

	kv.iov_base = "hello world";
	kv.iov_len = 11;
	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &kv, 1, 11);
	msg.msg_flags = MSG_NOSIGNAL;
	err = sock_sendmsg(cli, &msg);
	step++;
	if (err != 11 || iov_iter_count(&msg.msg_iter) != 0)
		goto out;

	memset(buf, 0, sizeof(buf));
	kv.iov_base = buf;
	kv.iov_len = 11;
	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &kv, 1, 11);
	msg.msg_flags = 0;
	err = sock_recvmsg(srv, &msg, MSG_WAITALL | MSG_NOSIGNAL);
	step++;
	if (err != 11 || memcmp(buf, "hello world", 11))
		goto out;

	/* Nothing more to read: the receive timeout (jiffies) gives -EAGAIN. */
	srv->sk->sk_rcvtimeo = HZ / 20;
	kv.iov_base = buf;
	kv.iov_len = 1;
	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &kv, 1, 1);
	err = sock_recvmsg(srv, &msg, MSG_WAITALL | MSG_NOSIGNAL);
	step++;
	if (err != -EAGAIN)
		goto out;

	/* An orderly shutdown by the peer reads as 0. */
	kernel_sock_shutdown(cli, SHUT_RDWR);
	srv->sk->sk_rcvtimeo = 5 * HZ;
	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &kv, 1, 1);
	err = sock_recvmsg(srv, &msg, MSG_WAITALL | MSG_NOSIGNAL);
	step++;
	if (err != 0)
		goto out;
	step = 0;
out:
	sock_release(srv);
	sock_release(cli);
	sock_release(lst);
	return step;
}
