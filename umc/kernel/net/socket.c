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
 * gives a sock that inherits what sk_clone_lock copies.
 *
 * MSG_MORE: DRBD sends a data packet as a header and then page by page,
 * every page but the last with MSG_MORE; TCP holds such bytes back until a
 * send without it.  So do we, above the host: a send with MSG_MORE that fits
 * is held back (a page by reference, as the kernel's zero-copy sendpage
 * keeps it, other bytes copied) and returns its full length at once, as the
 * kernel's does while sk_sndbuf has room; the next send without MSG_MORE
 * hands everything held plus its own bytes to the host in one sendmsg.
 * That send also pushes when what is held would pass min(sk_sndbuf,
 * UMC_TX_MAX) bytes, and tcp_sock_set_cork(false), tcp_sock_set_nodelay,
 * shutdown(SHUT_WR) and sock_release push without waiting, as they push
 * the kernel's pending frames.  The held bytes count in sk_wmem_queued.
 * The pushing call's own result follows the kernel as if the held bytes had
 * been queued before it: its full length, or its partial count, or -- when
 * none of its own bytes moved -- its error (-EAGAIN on timeout, -EINTR or
 * -ERESTARTSYS on a signal, -EPIPE ...), the held bytes that did not move
 * staying held for its retry (copied, so that no page is kept across a
 * return) unless the error is fatal to the connection.  Not exact: a
 * release or shutdown while the host's send buffer is full drops what is
 * held (the kernel would still send it behind the FIN); DRBD only gets
 * there with a connection it is tearing down.
 *
 * TCP_CORK: a corked socket holds partial frames until uncorked, so a send
 * without MSG_MORE on a corked socket is held too while what is held stays
 * within UMC_TX_CORK (a loopback MSS: what the kernel keeps back there; on
 * a link with a smaller MSS it would send full frames sooner).  DRBD corks
 * its data socket while its sender has work and its meta socket while it
 * sends a batch of acks, and uncorks before it sleeps, so a request's
 * header and page become one host call, and so does a batch of small
 * packets.  Such a send copies its bytes, and is not held behind held
 * pages: no page is referenced once a call without MSG_MORE returned. */
#include <linux/net.h>
#include <linux/tcp.h>
#include <linux/fcntl.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/workqueue.h>
#include <net/sock.h>

#define UMC_TX_MAX  (1 << 20) /* bytes held back at most (a 1 MiB bio) */
#define UMC_TX_SEGS 272       /* 256 pages and the headers around them */
#define UMC_TX_CORK 65483     /* bytes a corked socket holds at most (loopback MSS) */

struct umc_tx_seg {
	struct page *page; /* NULL: the bytes are at buf + off */
	unsigned int off, len;
};

/* What MSG_MORE sends hold back (see the top of this file). */
struct umc_tx {
	struct mutex lock; /* as lock_sock for senders */
	size_t bytes;      /* held back */
	int nseg;
	char *buf; /* copies: the first `used` of `cap` bytes */
	size_t used, cap;
	struct umc_tx_seg seg[UMC_TX_SEGS];
	struct umc_iov iov[UMC_TX_SEGS + 16];
};

struct umc_ksocket {
	struct socket sock;
	struct sock sk;
	u32 host_priority; /* the SO_PRIORITY the host socket has */
	int host_queued;   /* the host's unacknowledged bytes, last read */
	int held;          /* tx->bytes, for sk_wmem_queued */
	bool shut_wr;
	bool corked;      /* TCP_CORK */
	bool push_wanted; /* by tx_kick, while a sender had the lock */
	bool push_owed;   /* a push left bytes held: retry as the host drains */
	struct work_struct push_work;
	struct umc_tx *tx;
};

static void tx_kick(struct umc_ksocket *ks);

static void push_owed_work(struct work_struct *work)
{
	tx_kick(container_of(work, struct umc_ksocket, push_work));
}

static const struct proto_ops umc_inet_stream_ops;

static void sock_def_state_change(struct sock *sk) {}

/* The runtime read the host socket: mirror it as the kernel's fields. */
static void space_changed(void *arg, const struct umc_sock_space *space)
{
	struct sock *sk = arg;
	struct umc_ksocket *ks = container_of(sk, struct umc_ksocket, sk);

	WRITE_ONCE(ks->host_queued, space->wmem_queued);
	WRITE_ONCE(sk->sk_wmem_queued, space->wmem_queued + READ_ONCE(ks->held));
	if (space->sndbuf && !(READ_ONCE(sk->sk_userlocks) & SOCK_SNDBUF_LOCK))
		WRITE_ONCE(sk->sk_sndbuf, space->sndbuf);
	if (space->rcvbuf && !(READ_ONCE(sk->sk_userlocks) & SOCK_RCVBUF_LOCK))
		WRITE_ONCE(sk->sk_rcvbuf, space->rcvbuf);
	/* The kernel sends pushed frames as ACKs open the window; this
	 * callback runs every jiffy while the host has unacknowledged bytes. */
	if (READ_ONCE(ks->push_owed))
		queue_work(system_wq, &ks->push_work);
}

static struct socket *wrap(struct umc_sock *us, int family, int type)
{
	struct umc_ksocket *ks = kzalloc(sizeof(*ks), GFP_KERNEL);

	if (!ks)
		return NULL;
	ks->tx = kzalloc(sizeof(*ks->tx), GFP_KERNEL);
	if (!ks->tx) {
		kfree(ks);
		return NULL;
	}
	mutex_init(&ks->tx->lock);
	INIT_WORK(&ks->push_work, push_owed_work);
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
		kfree(ks->tx);
		kfree(ks);
		return NULL;
	}
	return &ks->sock;
}

static struct umc_ksocket *ksock(struct sock *sk)
{
	return container_of(sk, struct umc_ksocket, sk);
}

static void set_held(struct umc_ksocket *ks, size_t bytes)
{
	WRITE_ONCE(ks->held, (int)bytes);
	WRITE_ONCE(ks->sk.sk_wmem_queued, READ_ONCE(ks->host_queued) + (int)bytes);
}

/* Room in the copy buffer for @len more bytes (it grows to UMC_TX_MAX). */
static bool tx_room(struct umc_tx *tx, size_t len)
{
	size_t cap = tx->cap;
	char *buf;

	if (tx->used + len <= cap)
		return true;
	if (tx->used + len > UMC_TX_MAX)
		return false;
	cap = max3(cap * 2, tx->used + len, (size_t)16384);
	cap = min_t(size_t, cap, UMC_TX_MAX);
	buf = kvmalloc(cap, GFP_KERNEL);
	if (!buf)
		return false;
	if (tx->used)
		memcpy(buf, tx->buf, tx->used);
	kvfree(tx->buf);
	tx->buf = buf;
	tx->cap = cap;
	return true;
}

/* Hold back @len bytes, up to @limit in all: @page by reference, else a
 * copy of @iov. */
static bool tx_hold(struct umc_ksocket *ks, const struct umc_iov *iov, int n, size_t len, struct page *page,
		    unsigned int offset, size_t limit)
{
	struct umc_tx *tx = ks->tx;
	struct umc_tx_seg *last = tx->nseg ? &tx->seg[tx->nseg - 1] : NULL;
	int i;

	if (tx->bytes + len > limit || tx->nseg + (page ? 1 : n) > UMC_TX_SEGS)
		return false;
	if (page) {
		get_page(page);
		tx->seg[tx->nseg++] = (struct umc_tx_seg){.page = page, .off = offset, .len = len};
	} else {
		if (!tx_room(tx, len))
			return false;
		for (i = 0; i < n; i++) {
			memcpy(tx->buf + tx->used, iov[i].base, iov[i].len);
			tx->used += iov[i].len;
		}
		if (last && !last->page && last->off + last->len == tx->used - len)
			last->len += len; /* contiguous with the previous copy */
		else
			tx->seg[tx->nseg++] = (struct umc_tx_seg){.off = tx->used - len, .len = len};
	}
	tx->bytes += len;
	set_held(ks, tx->bytes);
	return true;
}

/* The host took the first @n held bytes. */
static void tx_consume(struct umc_tx *tx, size_t n)
{
	int i = 0;

	tx->bytes -= n;
	while (n) {
		struct umc_tx_seg *sg = &tx->seg[i];

		if (sg->len > n) {
			sg->off += n;
			sg->len -= n;
			break;
		}
		n -= sg->len;
		if (sg->page)
			put_page(sg->page);
		i++;
	}
	tx->nseg -= i;
	memmove(tx->seg, tx->seg + i, tx->nseg * sizeof(tx->seg[0]));
	if (!tx->nseg)
		tx->used = 0;
}

/* Forget everything held (the connection is gone). */
static void tx_drop(struct umc_ksocket *ks)
{
	struct umc_tx *tx = ks->tx;

	tx_consume(tx, tx->bytes);
	set_held(ks, 0);
}

/* Keep no page across a return: copy the held pages (they go behind the
 * copies already there; the order of the segments is the stream's). */
static void tx_detach(struct umc_ksocket *ks)
{
	struct umc_tx *tx = ks->tx;
	int i;

	for (i = 0; i < tx->nseg; i++) {
		struct umc_tx_seg *sg = &tx->seg[i];

		if (!sg->page)
			continue;
		if (!tx_room(tx, sg->len)) {
			tx_drop(ks);
			return;
		}
		memcpy(tx->buf + tx->used, (char *)page_address(sg->page) + sg->off, sg->len);
		put_page(sg->page);
		sg->page = NULL;
		sg->off = tx->used;
		tx->used += sg->len;
	}
}

/* Hand the host everything held and then @own (@len bytes of the calling
 * send, by reference) in one call; the result is the calling send's. */
static long tx_push(struct umc_ksocket *ks, const struct umc_iov *own, int nown, size_t len, int flags, long timeo)
{
	struct umc_tx *tx = ks->tx;
	size_t held = tx->bytes, moved;
	int i, n = 0, stop = 0;
	long r;

	for (i = 0; i < tx->nseg; i++) {
		struct umc_tx_seg *sg = &tx->seg[i];

		tx->iov[n].base = sg->page ? (char *)page_address(sg->page) + sg->off : tx->buf + sg->off;
		tx->iov[n++].len = sg->len;
	}
	for (i = 0; i < nown; i++)
		tx->iov[n++] = own[i];
	set_held(ks, 0); /* in transit: the host's queue counts what it takes */
	r = umc_sock_send_stop(ks->sk.umc, tx->iov, n, flags, timeo, &stop);
	moved = r > 0 ? r : 0;
	tx_consume(tx, min(moved, held));
	if (moved > held)
		r = moved - held; /* all, or the part the kernel would have moved */
	else if (len || stop) {
		r = stop;
		if (stop != -EAGAIN && stop != -EINTR && stop != -ERESTARTSYS)
			tx_drop(ks); /* -EPIPE, -ECONNRESET ...: nothing will go */
		else
			tx_detach(ks);
	} else {
		r = 0;
	}
	set_held(ks, tx->bytes);
	return r;
}

static bool tx_has_pages(const struct umc_tx *tx)
{
	int i;

	for (i = 0; i < tx->nseg; i++)
		if (tx->seg[i].page)
			return true;
	return false;
}

/* One send: held back with MSG_MORE while it fits, else pushed with all
 * that is held.  @page (sendpage) is referenced while held. */
static long tx_send(struct umc_ksocket *ks, const struct umc_iov *iov, int n, size_t len, struct page *page,
		    unsigned int offset, int flags, long timeo)
{
	struct umc_tx *tx = ks->tx;
	size_t limit = min_t(size_t, max(READ_ONCE(ks->sk.sk_sndbuf), 0), UMC_TX_MAX);
	bool held = false;
	long ret;

	mutex_lock(&tx->lock);
	if (len && !READ_ONCE(ks->shut_wr)) {
		if (flags & MSG_MORE)
			held = tx_hold(ks, iov, n, len, page, offset, limit);
		else if (READ_ONCE(ks->corked) && !tx_has_pages(tx)) /* copied: it ends a run */
			held = tx_hold(ks, iov, n, len, NULL, 0, min_t(size_t, limit, UMC_TX_CORK));
	}
	if (held)
		ret = len;
	else if (!tx->bytes)
		ret = umc_sock_send(ks->sk.umc, iov, n, flags, timeo);
	else
		ret = tx_push(ks, iov, n, len, flags, timeo);
	if (!tx->bytes)
		WRITE_ONCE(ks->push_owed, false);
	mutex_unlock(&tx->lock);
	smp_mb(); /* pairs with the one in tx_kick */
	if (READ_ONCE(ks->push_wanted))
		tx_kick(ks);
	return ret;
}

/* Push what is held without waiting, as the kernel pushes its pending
 * frames (uncork, nodelay, shutdown).  When another thread is inside a send
 * it does the push as it leaves (push_wanted), so bytes a corked send held
 * while the socket was being uncorked cannot be forgotten.  What the host
 * cannot take now is owed (push_owed): the space callback pushes again as
 * the host's queue drains, as the kernel sends pending frames on ACKs. */
static void tx_kick(struct umc_ksocket *ks)
{
	struct umc_tx *tx = ks->tx;

	WRITE_ONCE(ks->push_wanted, true);
	smp_mb(); /* pairs with the one in tx_send */
	if (!mutex_trylock(&tx->lock))
		return;
	WRITE_ONCE(ks->push_wanted, false);
	if (tx->bytes)
		tx_push(ks, NULL, 0, 0, MSG_DONTWAIT, 0);
	WRITE_ONCE(ks->push_owed, tx->bytes != 0);
	mutex_unlock(&tx->lock);
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
	struct umc_ksocket *ks;

	if (!sock)
		return;
	ks = container_of(sock, struct umc_ksocket, sock);
	/* No callback queues the owed push once this returns. */
	umc_sock_set_space_cb(ks->sk.umc, NULL, NULL);
	cancel_work_sync(&ks->push_work);
	/* tcp_close sends what is queued; what the host cannot take now is
	 * dropped (see the top of this file). */
	mutex_lock(&ks->tx->lock);
	if (!READ_ONCE(ks->shut_wr) && ks->tx->bytes)
		tx_push(ks, NULL, 0, 0, MSG_DONTWAIT, 0);
	tx_drop(ks);
	mutex_unlock(&ks->tx->lock);
	umc_sock_release(ks->sk.umc);
	kvfree(ks->tx->buf);
	kfree(ks->tx);
	kfree(ks);
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

/* tcp_shutdown sends the FIN behind what is queued: push what is held
 * first (without waiting), then shut the host socket. */
static int umc_inet_shutdown(struct socket *sock, int how)
{
	struct umc_ksocket *ks = ksock(sock->sk);

	if (how == SHUT_WR || how == SHUT_RDWR) {
		tx_kick(ks);
		WRITE_ONCE(ks->shut_wr, true);
	}
	return umc_sock_shutdown(ks->sk.umc, how);
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
	int i, n = to_iovs(&msg->msg_iter, iov, ARRAY_SIZE(iov));
	long timeo = (msg->msg_flags & MSG_DONTWAIT) ? 0 : READ_ONCE(sk->sk_sndtimeo);
	size_t len = 0;
	long ret;

	for (i = 0; i < n; i++)
		len += iov[i].len;
	apply_priority(sk);
	ret = tx_send(ksock(sk), iov, n, len, NULL, 0, msg->msg_flags | MSG_NOSIGNAL, timeo);
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

/* sendpage: with MSG_MORE the page is referenced while held back (as the
 * kernel's zero-copy sendpage does); otherwise it goes to the host, behind
 * what is held, before this returns.  Either way no page is referenced
 * once the MSG_MORE run ends, so DRBD sees page_count == 1 then. */
static ssize_t umc_inet_sendpage(struct socket *sock, struct page *page, int offset, size_t size, int flags)
{
	struct sock *sk = sock->sk;
	struct umc_iov iov = {.base = (char *)page_address(page) + offset, .len = size};
	long timeo = (flags & MSG_DONTWAIT) ? 0 : READ_ONCE(sk->sk_sndtimeo);

	apply_priority(sk);
	return tx_send(ksock(sk), &iov, 1, size, page, offset, flags | MSG_NOSIGNAL, timeo);
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
	return umc_inet_shutdown(sock, how);
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

/* Uncorking and TCP_NODELAY push the pending frames. */
void tcp_sock_set_cork(struct sock *sk, bool on)
{
	WRITE_ONCE(ksock(sk)->corked, on);
	if (!on)
		tx_kick(ksock(sk));
	set_tcp_opt(sk, TCP_CORK, on);
}
void tcp_sock_set_nodelay(struct sock *sk)
{
	tx_kick(ksock(sk));
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
