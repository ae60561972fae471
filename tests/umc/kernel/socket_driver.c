// SPDX-License-Identifier: GPL-2.0
/* See socket_driver.h. */
#include <linux/kernel.h>
#include <linux/completion.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
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

static bool all_bytes(const char *b, char c, size_t n)
{
	while (n--)
		if (*b++ != c)
			return false;
	return true;
}

/* Host sendmsg calls of @s so far. */
static unsigned long host_sends(struct socket *s)
{
	struct umc_sock_calls c;

	umc_sock_get_calls(s->sk->umc, &c);
	return c.sendmsg;
}

static int send_page(struct socket *s, struct page *page, int flags)
{
	return s->ops->sendpage(s, page, 0, PAGE_SIZE, flags | MSG_NOSIGNAL);
}

int ksd_socket_more_run_is_one_host_send(void)
{
	enum { npages = 8 };
	struct pair p = {0};
	struct sockaddr_in addr;
	struct page *pages[npages] = {0};
	char hdr[16], *got = vmalloc(sizeof(hdr) + npages * PAGE_SIZE), probe;
	const int total = sizeof(hdr) + npages * PAGE_SIZE;
	unsigned long before;
	int step = 0, i, queued;

	step++;
	if (!got || pair_listen(&p, &addr) || pair_connect(&p, &addr))
		goto out;
	for (i = 0; i < npages; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		step = 2;
		if (!pages[i])
			goto out;
		memset(page_address(pages[i]), 'a' + i, PAGE_SIZE);
	}
	memset(hdr, 'H', sizeof(hdr));
	queued = READ_ONCE(p.cli->sk->sk_wmem_queued);
	before = host_sends(p.cli);
	/* DRBD's data packet: a header, then every page but the last with
	 * MSG_MORE.  Each returns its full length at once. */
	step = 3;
	if (send_bytes(p.cli, hdr, sizeof(hdr), MSG_MORE) != sizeof(hdr))
		goto out;
	for (i = 0; i < npages - 1; i++) {
		step = 4;
		if (send_page(p.cli, pages[i], MSG_MORE) != PAGE_SIZE)
			goto out;
	}
	/* Held back: no host call yet, the peer has nothing, the pages are
	 * referenced as by the kernel's zero-copy sendpage, and the bytes
	 * count in sk_wmem_queued. */
	step = 5;
	if (host_sends(p.cli) != before)
		goto out;
	step = 6;
	if (recv_bytes(p.srv, &probe, 1, MSG_DONTWAIT) != -EAGAIN)
		goto out;
	step = 7;
	if (page_count(pages[0]) != 2)
		goto out;
	step = 8;
	if (READ_ONCE(p.cli->sk->sk_wmem_queued) < queued + total - (int)PAGE_SIZE)
		goto out;
	/* The last page ends the run: one sendmsg for all of it. */
	step = 9;
	if (send_page(p.cli, pages[npages - 1], 0) != PAGE_SIZE)
		goto out;
	step = 10;
	if (host_sends(p.cli) != before + 1)
		goto out;
	step = 11;
	if (page_count(pages[0]) != 1 || page_count(pages[npages - 2]) != 1)
		goto out;
	p.srv->sk->sk_rcvtimeo = 5 * HZ;
	step = 12;
	if (recv_bytes(p.srv, got, total, MSG_WAITALL) != total)
		goto out;
	step = 13;
	if (memcmp(got, hdr, sizeof(hdr)))
		goto out;
	for (i = 0; i < npages; i++) {
		step = 14;
		if (memcmp(got + sizeof(hdr) + i * PAGE_SIZE, page_address(pages[i]), PAGE_SIZE))
			goto out;
	}
	step = 0;
out:
	for (i = 0; i < npages; i++)
		if (pages[i])
			__free_page(pages[i]);
	pair_close(&p);
	vfree(got);
	return step;
}

/* Fill the client's host send buffer and the server's receive buffer
 * (nobody reads) until nothing moves, not even a single byte within a
 * blocking send's timeout (TCP still appends to its last segment when it
 * refuses a new one): then the window is closed and stays closed.  Returns
 * the bytes sent or -1. */
static long fill_until_full(struct pair *p, char *buf, size_t len)
{
	long total = 0;
	int i, r;

	p->cli->sk->sk_sndtimeo = HZ / 5;
	for (i = 0; i < 1000; i++) {
		r = send_bytes(p->cli, buf, len, MSG_DONTWAIT);
		if (r == -EAGAIN)
			r = send_bytes(p->cli, buf, len, 0);
		if (r == -EAGAIN && len == 1)
			return total;
		if (r == -EAGAIN) {
			len /= 2;
			continue;
		}
		if (r <= 0)
			return -1;
		total += r;
	}
	return -1;
}

/* The server reads the @filled bytes fill_until_full sent (all 'f'),
 * through @buf of @len bytes; false on a short or wrong read. */
static bool drain_filled(struct pair *p, char *buf, size_t len, long filled)
{
	long left;

	for (left = filled; left > 0;) {
		int r = recv_bytes(p->srv, buf, min_t(long, left, len), 0);

		if (r <= 0 || !all_bytes(buf, 'f', r))
			return false;
		left -= r;
	}
	return true;
}

int ksd_socket_push_that_cannot_move_keeps_the_held_bytes(void)
{
	const size_t len = 1 << 20;
	struct pair p = {0};
	struct sockaddr_in addr;
	char *buf = vmalloc(len), *got = vmalloc(len);
	char held[100], own[100];
	long filled;
	int step = 0, queued;

	step++;
	if (!buf || !got || pair_listen(&p, &addr) || pair_connect(&p, &addr))
		goto out;
	memset(buf, 'f', len);
	memset(held, 'h', sizeof(held));
	memset(own, 'o', sizeof(own));
	/* The peer reads nothing: the host buffers fill up. */
	filled = fill_until_full(&p, buf, len);
	step++;
	if (filled <= 0)
		goto out;
	/* A MSG_MORE send still returns at once: it is held, and counted. */
	queued = READ_ONCE(p.cli->sk->sk_wmem_queued);
	step++;
	if (send_bytes(p.cli, held, sizeof(held), MSG_MORE) != sizeof(held))
		goto out;
	step++;
	if (READ_ONCE(p.cli->sk->sk_wmem_queued) < queued + (int)sizeof(held))
		goto out;
	/* The send that pushes moves none of its own bytes: its own error,
	 * whatever became of the held bytes. */
	step++;
	if (send_bytes(p.cli, own, sizeof(own), MSG_DONTWAIT) != -EAGAIN)
		goto out;
	p.cli->sk->sk_sndtimeo = 2;
	step++;
	if (send_bytes(p.cli, own, sizeof(own), 0) != -EAGAIN)
		goto out;
	send_sig(1, current, 0);
	step++;
	if (send_bytes(p.cli, own, sizeof(own), 0) != -EINTR)
		goto out;
	p.cli->sk->sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;
	step++;
	if (send_bytes(p.cli, own, sizeof(own), 0) != -ERESTARTSYS)
		goto out;
	flush_signals(current);
	/* Still held, still counted. */
	step++;
	if (READ_ONCE(p.cli->sk->sk_wmem_queued) < (int)sizeof(held))
		goto out;
	/* The peer drains; the retry delivers the held bytes, then its own. */
	p.srv->sk->sk_rcvtimeo = 5 * HZ;
	step = 10;
	if (!drain_filled(&p, got, len, filled))
		goto out;
	p.cli->sk->sk_sndtimeo = 5 * HZ;
	step = 11;
	if (send_bytes(p.cli, own, sizeof(own), 0) != sizeof(own))
		goto out;
	step = 12;
	if (recv_bytes(p.srv, got, sizeof(held) + sizeof(own), MSG_WAITALL) != sizeof(held) + sizeof(own))
		goto out;
	step = 13;
	if (!all_bytes(got, 'h', sizeof(held)) || !all_bytes(got + sizeof(held), 'o', sizeof(own)))
		goto out;
	step = 0;
out:
	flush_signals(current);
	pair_close(&p);
	vfree(buf);
	vfree(got);
	return step;
}

int ksd_socket_held_bytes_reach_the_peer(void)
{
	struct pair p = {0};
	struct sockaddr_in addr;
	char b[64];
	int step = 0;

	step++;
	if (pair_listen(&p, &addr) || pair_connect(&p, &addr))
		goto out;
	p.srv->sk->sk_rcvtimeo = 5 * HZ;
	/* Uncorking pushes what MSG_MORE held, as it pushes pending frames. */
	tcp_sock_set_cork(p.cli->sk, true);
	step++;
	if (send_bytes(p.cli, "corked", 6, MSG_MORE) != 6)
		goto out;
	step++;
	if (recv_bytes(p.srv, b, 1, MSG_DONTWAIT) != -EAGAIN)
		goto out;
	tcp_sock_set_cork(p.cli->sk, false);
	step++;
	if (recv_bytes(p.srv, b, 6, MSG_WAITALL) != 6 || memcmp(b, "corked", 6))
		goto out;
	/* So does TCP_NODELAY. */
	step++;
	if (send_bytes(p.cli, "nodelay", 7, MSG_MORE) != 7)
		goto out;
	tcp_sock_set_nodelay(p.cli->sk);
	step++;
	if (recv_bytes(p.srv, b, 7, MSG_WAITALL) != 7 || memcmp(b, "nodelay", 7))
		goto out;
	/* The FIN goes behind them; a send after shutdown fails at once. */
	step++;
	if (send_bytes(p.cli, "fin", 3, MSG_MORE) != 3)
		goto out;
	step++;
	if (kernel_sock_shutdown(p.cli, SHUT_WR))
		goto out;
	step++;
	if (recv_bytes(p.srv, b, sizeof(b), MSG_WAITALL) != 3 || memcmp(b, "fin", 3))
		goto out;
	step++;
	if (recv_bytes(p.srv, b, sizeof(b), MSG_WAITALL) != 0)
		goto out;
	step++;
	if (send_bytes(p.cli, "late", 4, MSG_MORE) != -EPIPE)
		goto out;
	/* Close sends what is queued: the other direction, held at release. */
	step++;
	if (send_bytes(p.srv, "close", 5, MSG_MORE) != 5)
		goto out;
	sock_release(p.srv);
	p.srv = NULL;
	p.cli->sk->sk_rcvtimeo = 5 * HZ;
	step++;
	if (recv_bytes(p.cli, b, sizeof(b), MSG_WAITALL) != 5 || memcmp(b, "close", 5))
		goto out;
	step = 0;
out:
	pair_close(&p);
	return step;
}

int ksd_socket_corked_sends_are_one_host_send(void)
{
	const int big = 60000, more = 10000;
	struct pair p = {0};
	struct sockaddr_in addr;
	struct page *page = alloc_page(GFP_KERNEL);
	char *got = vmalloc(big + more), *buf = vmalloc(big + more);
	unsigned long before;
	int step = 0;

	step++;
	if (!page || !got || !buf || pair_listen(&p, &addr) || pair_connect(&p, &addr))
		goto out;
	memset(page_address(page), 'p', PAGE_SIZE);
	p.srv->sk->sk_rcvtimeo = 5 * HZ;
	tcp_sock_set_cork(p.cli->sk, true);
	before = host_sends(p.cli);
	/* Small packets on a corked socket (DRBD's acks, a 4 KiB request's
	 * header and page): held, no host call, the peer has nothing. */
	step++;
	if (send_bytes(p.cli, "a", 1, 0) != 1 || send_bytes(p.cli, "bb", 2, 0) != 2)
		goto out;
	step++;
	if (send_page(p.cli, page, 0) != PAGE_SIZE)
		goto out;
	step++;
	if (host_sends(p.cli) != before)
		goto out;
	step++;
	if (recv_bytes(p.srv, got, 1, MSG_DONTWAIT) != -EAGAIN)
		goto out;
	/* Held by copy: the call without MSG_MORE keeps no page. */
	step++;
	if (page_count(page) != 1)
		goto out;
	/* Uncorking hands them all to the host at once. */
	tcp_sock_set_cork(p.cli->sk, false);
	step++;
	if (host_sends(p.cli) != before + 1)
		goto out;
	step++;
	if (recv_bytes(p.srv, got, 3 + PAGE_SIZE, MSG_WAITALL) != 3 + PAGE_SIZE)
		goto out;
	step++;
	if (memcmp(got, "abb", 3) || !all_bytes(got + 3, 'p', PAGE_SIZE))
		goto out;
	/* A corked socket holds less than a segment: what would pass
	 * UMC_TX_CORK goes to the host with the send that passes it. */
	memset(buf, 'b', big + more);
	tcp_sock_set_cork(p.cli->sk, true);
	before = host_sends(p.cli);
	step++;
	if (send_bytes(p.cli, buf, big, 0) != big)
		goto out;
	step++;
	if (host_sends(p.cli) != before)
		goto out;
	step++;
	if (send_bytes(p.cli, buf + big, more, 0) != more)
		goto out;
	step++;
	if (host_sends(p.cli) != before + 1)
		goto out;
	tcp_sock_set_cork(p.cli->sk, false);
	step++;
	if (recv_bytes(p.srv, got, big + more, MSG_WAITALL) != big + more || !all_bytes(got, 'b', big + more))
		goto out;
	step = 0;
out:
	if (page)
		__free_page(page);
	pair_close(&p);
	vfree(got);
	vfree(buf);
	return step;
}

int ksd_socket_uncork_into_a_full_buffer_delivers_as_the_peer_reads(void)
{
	const size_t len = 1 << 20;
	struct pair p = {0};
	struct sockaddr_in addr;
	char *buf = vmalloc(len), *got = vmalloc(len);
	char b[16];
	long filled;
	int step = 0;

	step++;
	if (!buf || !got || pair_listen(&p, &addr) || pair_connect(&p, &addr))
		goto out;
	memset(buf, 'f', len);
	step++;
	filled = fill_until_full(&p, buf, len);
	if (filled <= 0)
		goto out;
	/* DRBD's digest path: small packets copied on a corked socket, then
	 * uncork and the sender goes to sleep. */
	tcp_sock_set_cork(p.cli->sk, true);
	step++;
	if (send_bytes(p.cli, "digest", 6, 0) != 6 || send_bytes(p.cli, "data", 4, 0) != 4)
		goto out;
	tcp_sock_set_cork(p.cli->sk, false);
	/* The peer reads everything; the held bytes follow without another
	 * send from this side. */
	p.srv->sk->sk_rcvtimeo = 10 * HZ;
	step++;
	if (!drain_filled(&p, got, len, filled))
		goto out;
	step++;
	if (recv_bytes(p.srv, b, 10, MSG_WAITALL) != 10 || memcmp(b, "digestdata", 10))
		goto out;
	step = 0;
out:
	pair_close(&p);
	vfree(buf);
	vfree(got);
	return step;
}
