// SPDX-License-Identifier: GPL-2.0
/* See sched_driver.h. */
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/wait.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/sched/signal.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/part_stat.h>
#include <linux/net.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/genetlink.h>
#include <umc/kernel_private.h>
#include <linux/moduleparam.h>
#include <crypto/hash.h>
#include <linux/scatterlist.h>
#include <umc/socket.h>
#include "sched_driver.h"

/* Threads the test will kthread_stop() wait here, so that the test ends
 * only after every thread it made has exited. */
static void park_until_stopped(void)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
}

struct life {
	struct completion ran;
	char comm[TASK_COMM_LEN];
};

static int life_fn(void *data)
{
	struct life *l = data;

	strscpy(l->comm, current->comm, sizeof(l->comm));
	complete(&l->ran);
	park_until_stopped();
	return 42;
}

int ksd_kthread_lifecycle(void)
{
	struct life l;
	struct task_struct *t;
	int result = 0;

	init_completion(&l.ran);
	t = kthread_create(life_fn, &l, "ksd_%s_%d", "life", 7);
	if (IS_ERR(t))
		return -100;
	if (!try_wait_for_completion(&l.ran))
		result |= 1;
	wake_up_process(t);
	wait_for_completion(&l.ran);
	result |= 2;
	if (kthread_stop(t) == 42)
		result |= 4;
	if (!strcmp(l.comm, "ksd_life_7"))
		result |= 8;
	return result;
}

struct waiter {
	wait_queue_head_t wq;
	int flag;
	long ret;
	struct completion done;
};

static int wait_fn(void *data)
{
	struct waiter *w = data;

	wait_event(w->wq, READ_ONCE(w->flag));
	complete(&w->done);
	park_until_stopped();
	return 0;
}

int ksd_wait_event_wakes_waiter(void)
{
	struct waiter w = { .flag = 0 };
	struct task_struct *t;

	init_waitqueue_head(&w.wq);
	init_completion(&w.done);
	t = kthread_run(wait_fn, &w, "ksd_wait");
	if (IS_ERR(t))
		return -1;
	/* The waiter may or may not be asleep yet: either way it must see it. */
	WRITE_ONCE(w.flag, 1);
	wake_up(&w.wq);
	wait_for_completion(&w.done);
	kthread_stop(t);
	return 0;
}

struct sigwaiter {
	wait_queue_head_t wq;
	struct completion ready, done;
	long ret;
};

static int sigwait_fn(void *data)
{
	struct sigwaiter *w = data;

	allow_kernel_signal(SIGHUP);
	complete(&w->ready);
	w->ret = wait_event_interruptible(w->wq, 0);
	flush_signals(current);
	complete(&w->done);
	park_until_stopped();
	return 0;
}

int ksd_wait_event_interrupted_by_signal(void)
{
	struct sigwaiter w;
	struct task_struct *t;

	init_waitqueue_head(&w.wq);
	init_completion(&w.ready);
	init_completion(&w.done);
	w.ret = 1;
	t = kthread_run(sigwait_fn, &w, "ksd_sigwait");
	if (IS_ERR(t))
		return -1;
	wait_for_completion(&w.ready);
	send_sig(SIGHUP, t, 1);
	wait_for_completion(&w.done);
	kthread_stop(t);
	return (int)w.ret;
}

long ksd_completion_timeout(void)
{
	struct completion c;

	init_completion(&c);
	return wait_for_completion_interruptible_timeout(&c, 20);
}

long ksd_completion_done_before(void)
{
	struct completion c;

	init_completion(&c);
	complete(&c);
	return wait_for_completion_interruptible_timeout(&c, 1000);
}

struct gate {
	struct completion open;
	atomic_t passed;
	struct completion all_passed;
	int n;
};

static int gate_fn(void *data)
{
	struct gate *g = data;

	wait_for_completion(&g->open);
	if (atomic_inc_return(&g->passed) == g->n)
		complete(&g->all_passed);
	park_until_stopped();
	return 0;
}

int ksd_complete_all_releases(int n)
{
	struct gate g = { .n = n };
	struct task_struct *t[16];
	int i;

	if (n > 16)
		return -1;
	init_completion(&g.open);
	init_completion(&g.all_passed);
	atomic_set(&g.passed, 0);
	for (i = 0; i < n; i++) {
		t[i] = kthread_run(gate_fn, &g, "ksd_gate%d", i);
		if (IS_ERR(t[i]))
			return -2;
	}
	complete_all(&g.open);
	wait_for_completion(&g.all_passed);
	/* Still completed: a late waiter passes too. */
	wait_for_completion(&g.open);
	for (i = 0; i < n; i++)
		kthread_stop(t[i]);
	return atomic_read(&g.passed);
}

struct counter {
	struct mutex m;
	spinlock_t s;
	bool use_mutex;
	long value;
	int iterations;
	atomic_t finished;
	struct completion all_done;
	int n;
};

static int count_fn(void *data)
{
	struct counter *c = data;
	int i;

	for (i = 0; i < c->iterations; i++) {
		if (c->use_mutex) {
			mutex_lock(&c->m);
			c->value++;
			mutex_unlock(&c->m);
		} else {
			spin_lock_irq(&c->s);
			c->value++;
			spin_unlock_irq(&c->s);
		}
	}
	if (atomic_inc_return(&c->finished) == c->n)
		complete(&c->all_done);
	park_until_stopped();
	return 0;
}

static long run_counter(int n, int iterations, bool use_mutex)
{
	struct counter c = { .use_mutex = use_mutex, .iterations = iterations, .n = n };
	struct task_struct *t[16];
	int i;

	if (n > 16)
		return -2;
	mutex_init(&c.m);
	spin_lock_init(&c.s);
	atomic_set(&c.finished, 0);
	init_completion(&c.all_done);
	for (i = 0; i < n; i++) {
		t[i] = kthread_run(count_fn, &c, "ksd_count%d", i);
		if (IS_ERR(t[i]))
			return -3;
	}
	wait_for_completion(&c.all_done);
	for (i = 0; i < n; i++)
		kthread_stop(t[i]);
	if (mutex_is_locked(&c.m))
		return -1;
	return c.value;
}

long ksd_mutex_counter(int n, int iterations) { return run_counter(n, iterations, true); }
long ksd_spinlock_counter(int n, int iterations) { return run_counter(n, iterations, false); }

int ksd_pages(unsigned order)
{
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	unsigned int i;
	char *base;

	if (!p)
		return 1;
	base = page_address(p);
	if (((unsigned long)base & (PAGE_SIZE - 1)) != 0)
		return 2;
	for (i = 0; i < (1u << order); i++) {
		char *a = page_address(p + i);
		if (a != base + i * PAGE_SIZE)
			return 3;
		if (virt_to_page(a + 100) != p + i)
			return 4;
		if (a[0] != 0 || a[PAGE_SIZE - 1] != 0)
			return 5;
		memset(a, 0xab, PAGE_SIZE);
	}
	if (page_count(p) != 1)
		return 6;
	get_page(p);
	put_page(p);
	if (page_count(p) != 1)
		return 7;
	put_page(p);
	return 0;
}

static int endio_calls;
static void count_endio(struct bio *bio) { endio_calls++; }

int ksd_bio_alloc_add_iterate_clone(void)
{
	struct bio_set bs;
	struct page *pg = alloc_pages(GFP_KERNEL, 1);
	struct bio *bio, *clone;
	struct bio_vec bv;
	struct bvec_iter iter;
	unsigned int segs = 0, bytes = 0;
	int step = 0;

	step++; if (!pg || bioset_init(&bs, 2, 0, BIOSET_NEED_BVECS)) return step;
	bio = bio_alloc_bioset(NULL, 4, REQ_OP_WRITE | REQ_FUA, GFP_NOIO, &bs);
	step++; if (!bio || bio_op(bio) != REQ_OP_WRITE || !(bio->bi_opf & REQ_FUA)) return step;
	bio->bi_iter.bi_sector = 100;
	step++; if (bio_add_page(bio, pg, 1024, 0) != 1024) return step;
	step++; if (bio_add_page(bio, pg, 1024, 1024) != 1024 || bio->bi_vcnt != 1) return step; /* merged */
	step++; if (bio_add_page(bio, pg + 1, 4096, 0) != 4096 || bio->bi_vcnt != 2) return step;
	step++; if (bio->bi_iter.bi_size != 6144 || bio_sectors(bio) != 12 || bio_end_sector(bio) != 112) return step;
	bio_for_each_segment(bv, bio, iter) {
		segs++;
		bytes += bv.bv_len;
	}
	step++; if (segs != 2 || bytes != 6144 || bio->bi_iter.bi_size != 6144) return step; /* iter copy */
	clone = bio_alloc_clone(NULL, bio, GFP_NOIO, &bs);
	step++; if (!clone || clone->bi_io_vec != bio->bi_io_vec || clone->bi_iter.bi_sector != 100 ||
		    clone->bi_iter.bi_size != 6144 || !bio_flagged(clone, BIO_CLONED)) return step;
	/* Advancing the clone does not move the original. */
	bio_advance_iter(clone, &clone->bi_iter, 2048);
	step++; if (clone->bi_iter.bi_sector != 104 || bio->bi_iter.bi_sector != 100 ||
		    bio_page(clone) != pg + 1 || bio_offset(clone) != 0) return step;
	endio_calls = 0;
	clone->bi_end_io = count_endio;
	bio_endio(clone);
	step++; if (endio_calls != 1) return step;
	bio_put(clone);
	bio_get(bio);
	bio_put(bio);  /* one reference left */
	bio_put(bio);
	bioset_exit(&bs);
	__free_pages(pg, 1);
	return 0;
}

static blk_status_t parent_status;
static void parent_endio(struct bio *bio)
{
	endio_calls++;
	parent_status = bio->bi_status;
}

int ksd_bio_chain_completion(void)
{
	struct bio *parent = bio_alloc(NULL, 0, REQ_OP_WRITE, GFP_NOIO);
	struct bio *a = bio_alloc(NULL, 0, REQ_OP_WRITE, GFP_NOIO);
	struct bio *b = bio_alloc(NULL, 0, REQ_OP_WRITE, GFP_NOIO);
	int result;

	endio_calls = 0;
	parent->bi_end_io = parent_endio;
	bio_chain(a, parent);
	bio_chain(b, parent);
	b->bi_status = BLK_STS_IOERR;
	bio_endio(b);   /* child done: parent waits for a and itself */
	bio_endio(parent);
	if (endio_calls != 0)
		return -1;
	bio_endio(a);   /* last one: parent completes, with b's error */
	result = endio_calls * 10 + (int)parent_status;
	bio_put(parent);
	return result;
}

struct plug_probe {
	struct blk_plug_cb cb;  /* first: blk_check_plugged allocates us */
	int runs;
	int from_schedule;
};
static struct plug_probe *last_probe;
static int probe_runs, probe_from_schedule;

static void probe_unplug(struct blk_plug_cb *cb, bool from_schedule)
{
	probe_runs++;
	probe_from_schedule = from_schedule;
	kfree(cb);
}

int ksd_plug_callbacks(void)
{
	struct blk_plug plug;
	struct blk_plug_cb *a, *b;
	int key;

	probe_runs = 0;
	if (blk_check_plugged(probe_unplug, &key, sizeof(struct plug_probe)) != NULL)
		return 1;  /* not plugged */
	blk_start_plug(&plug);
	if (current->plug != &plug)
		return 2;
	a = blk_check_plugged(probe_unplug, &key, sizeof(struct plug_probe));
	b = blk_check_plugged(probe_unplug, &key, sizeof(struct plug_probe));
	if (!a || a != b || a->data != &key)
		return 3;
	blk_finish_plug(&plug);
	if (probe_runs != 1 || probe_from_schedule || current->plug)
		return 4;
	/* Sleeping with a plug runs its callbacks first. */
	blk_start_plug(&plug);
	blk_check_plugged(probe_unplug, &key, sizeof(struct plug_probe));
	schedule_timeout_uninterruptible(1);
	if (probe_runs != 2 || !probe_from_schedule)
		return 5;
	blk_finish_plug(&plug);
	if (probe_runs != 2)
		return 6;
	(void)last_probe;
	return 0;
}

int ksd_disk_lifecycle(void)
{
	struct gendisk *disk;
	int dyn;

	if (register_blkdev(147, "drbd") != 0)
		return 1;
	if (register_blkdev(147, "other") != -EBUSY)
		return 2;
	dyn = register_blkdev(0, "dyn");
	if (dyn < 234 || dyn > 254)
		return 3;
	disk = blk_alloc_disk(NUMA_NO_NODE);
	if (!disk || !disk->queue || disk->part0->bd_disk != disk || queue_logical_block_size(disk->queue) != 512)
		return 4;
	disk->major = 147;
	disk->first_minor = 3;
	snprintf(disk->disk_name, sizeof(disk->disk_name), "drbd%d", 3);
	if (set_capacity_and_notify(disk, 2048))  /* from 0: no announcement */
		return 5;
	if (add_disk(disk) || umc_disk_get("drbd3") != disk || disk->part0->bd_dev != MKDEV(147, 3))
		return 6;
	if (!set_capacity_and_notify(disk, 4096) || get_capacity(disk) != 4096 || bdev_nr_sectors(disk->part0) != 4096)
		return 7;
	set_disk_ro(disk, true);
	if (!get_disk_ro(disk))
		return 8;
	del_gendisk(disk);
	if (umc_disk_get("drbd3"))
		return 9;
	put_disk(disk);
	unregister_blkdev(147, "drbd");
	unregister_blkdev(dyn, "dyn");
	if (register_blkdev(147, "drbd") != 0)
		return 10;
	unregister_blkdev(147, "drbd");
	return 0;
}

struct door {
	struct completion bell;
	void (*original)(struct sock *sk);
};

static void incoming(struct sock *sk)
{
	struct door *d = sk->sk_user_data;

	if (sk->sk_state == TCP_ESTABLISHED)
		complete(&d->bell);
	d->original(sk);
}

int ksd_socket_loopback(void)
{
	struct socket *lst = NULL, *cli = NULL, *srv = NULL;
	struct sockaddr_in addr = { .sin_family = AF_INET };
	struct door door;
	char buf[16];
	struct kvec kv;
	struct msghdr msg = { 0 };
	int step = 0, err, len;

	init_completion(&door.bell);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	step++; if (sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &lst)) goto out;
	lst->sk->sk_reuse = SK_CAN_REUSE;
	lst->sk->sk_rcvbuf = 1 << 20;
	lst->sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
	step++; if (lst->ops->bind(lst, (struct sockaddr *)&addr, sizeof(addr))) goto out;
	len = kernel_getsockname(lst, (struct sockaddr *)&addr);
	step++; if (len != sizeof(addr) || addr.sin_port == 0) goto out;
	write_lock_bh(&lst->sk->sk_callback_lock);
	door.original = lst->sk->sk_state_change;
	lst->sk->sk_state_change = incoming;
	lst->sk->sk_user_data = &door;
	write_unlock_bh(&lst->sk->sk_callback_lock);
	step++; if (lst->ops->listen(lst, 5)) goto out;

	step++; if (sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &cli)) goto out;
	cli->sk->sk_sndtimeo = 5 * HZ;
	step++; if (cli->ops->connect(cli, (struct sockaddr *)&addr, sizeof(addr), 0)) goto out;
	step++; if (cli->sk->sk_state != TCP_ESTABLISHED) goto out;
	step++; if (wait_for_completion_interruptible_timeout(&door.bell, 5 * HZ) <= 0) goto out;
	step++; if (kernel_accept(lst, &srv, 0)) goto out;
	tcp_sock_set_nodelay(cli->sk);

	kv.iov_base = "hello world";
	kv.iov_len = 11;
	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &kv, 1, 11);
	msg.msg_flags = MSG_NOSIGNAL;
	err = sock_sendmsg(cli, &msg);
	step++; if (err != 11 || iov_iter_count(&msg.msg_iter) != 0) goto out;

	memset(buf, 0, sizeof(buf));
	kv.iov_base = buf;
	kv.iov_len = 11;
	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &kv, 1, 11);
	msg.msg_flags = 0;
	err = sock_recvmsg(srv, &msg, MSG_WAITALL | MSG_NOSIGNAL);
	step++; if (err != 11 || memcmp(buf, "hello world", 11)) goto out;

	/* Nothing more to read: the receive timeout (jiffies) gives -EAGAIN. */
	srv->sk->sk_rcvtimeo = HZ / 20;
	kv.iov_base = buf;
	kv.iov_len = 1;
	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &kv, 1, 1);
	err = sock_recvmsg(srv, &msg, MSG_WAITALL | MSG_NOSIGNAL);
	step++; if (err != -EAGAIN) goto out;

	/* An orderly shutdown by the peer reads as 0. */
	kernel_sock_shutdown(cli, SHUT_RDWR);
	srv->sk->sk_rcvtimeo = 5 * HZ;
	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &kv, 1, 1);
	err = sock_recvmsg(srv, &msg, MSG_WAITALL | MSG_NOSIGNAL);
	step++; if (err != 0) goto out;
	step = 0;
out:
	sock_release(srv);
	sock_release(cli);
	sock_release(lst);
	return step;
}

#define MAX_SEEN 16
static struct {
	int n;
	int op[MAX_SEEN];
	sector_t sector[MAX_SEEN];
	unsigned int sectors[MAX_SEEN];
	int nonzero_data;
	struct bio *held[MAX_SEEN];
	bool hold;
} seen;

/* The "device": records the bio and completes it at once, or holds it. */
static void fake_submit(struct bio *bio)
{
	struct bvec_iter iter;
	struct bio_vec bv;
	int i = seen.n++;

	if (i >= MAX_SEEN) {
		bio_io_error(bio);
		return;
	}
	seen.op[i] = bio_op(bio);
	seen.sector[i] = bio->bi_iter.bi_sector;
	seen.sectors[i] = bio_sectors(bio);
	if (bio_op(bio) == REQ_OP_WRITE) {
		bio_for_each_segment(bv, bio, iter) {
			const char *p = (char *)page_address(bv.bv_page) + bv.bv_offset;
			unsigned int k;
			for (k = 0; k < bv.bv_len; k++)
				seen.nonzero_data |= p[k] != 0;
		}
	}
	if (seen.hold) {
		seen.held[i] = bio;
		return;
	}
	bio_endio(bio);
}

int ksd_block_path(void)
{
	struct gendisk *disk = blk_alloc_disk(NUMA_NO_NODE);
	struct block_device *bdev;
	struct page *pages;
	struct bio *bio, *front;
	int step = 0, i;

	memset(&seen, 0, sizeof(seen));
	step++; if (!disk) return step;
	bdev = disk->part0;
	bdev->bd_submit = fake_submit;
	set_capacity(disk, 1 << 20);
	disk->queue->limits.max_sectors = 32;
	disk->queue->limits.max_hw_sectors = 32;
	disk->queue->limits.max_discard_sectors = 16;

	/* 24 KiB write = 48 sectors; the queue takes 32 at a time. */
	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
	bio = bio_alloc(bdev, 6, REQ_OP_WRITE, GFP_NOIO);
	for (i = 0; i < 6; i++)
		bio_add_page(bio, pages + i, PAGE_SIZE, 0);
	bio->bi_iter.bi_sector = 1000;
	bio->bi_end_io = count_endio;
	endio_calls = 0;
	seen.hold = true;
	front = bio_split_to_limits(bio);
	/* The remainder went to the device; we got the front part. */
	step++; if (!front || front == bio || bio_sectors(front) != 32 || front->bi_iter.bi_sector != 1000) return step;
	step++; if (seen.n != 1 || seen.sector[0] != 1032 || seen.sectors[0] != 16) return step;
	submit_bio(front);
	step++; if (seen.n != 2 || seen.sector[1] != 1000 || seen.sectors[1] != 32) return step;
	/* The original completes once, after both parts. */
	bio_endio(seen.held[1]);
	step++; if (endio_calls != 0) return step;
	bio_endio(seen.held[0]);
	step++; if (endio_calls != 1) return step;
	bio_put(bio);
	step++; if (part_stat_read_accum(bdev, sectors) != 32) return step; /* submit_bio counted the front */
	seen.hold = false;

	/* Discard of 40 sectors in bios of at most 16. */
	seen.n = 0;
	step++; if (blkdev_issue_discard(bdev, 2000, 40, GFP_KERNEL) != 0) return step;
	step++; if (seen.n != 3 || seen.op[0] != REQ_OP_DISCARD || seen.sectors[0] != 16 || seen.sectors[2] != 8 ||
		    seen.sector[2] != 2032) return step;

	/* No WRITE_ZEROES on this device: zeroout writes zero pages. */
	seen.n = 0;
	step++; if (blkdev_issue_zeroout(bdev, 4000, 40, GFP_KERNEL, 0) != 0) return step;
	step++; if (seen.n != 2 || seen.op[0] != REQ_OP_WRITE || seen.sectors[0] != 32 || seen.sectors[1] != 8 ||
		    seen.nonzero_data) return step;
	step++; if (blkdev_issue_zeroout(bdev, 4000, 40, GFP_KERNEL, BLKDEV_ZERO_NOFALLBACK) != -EOPNOTSUPP) return step;

	/* A device without a way in fails bios with an I/O error. */
	bdev->bd_submit = NULL;
	bio = bio_alloc(bdev, 0, REQ_OP_FLUSH | REQ_PREFLUSH, GFP_NOIO);
	step++; if (submit_bio_wait(bio) != -EIO) return step;
	bio_put(bio);

	__free_pages(pages, 3);
	put_disk(disk);
	umc_kernel_shutdown();
	return 0;
}

/* ---- generic netlink ---- */
enum { KSD_A_UNSPEC, KSD_A_VALUE, KSD_A_NAME, __KSD_A_MAX };
enum { KSD_CMD_UNSPEC, KSD_CMD_ECHO, KSD_CMD_LIST, KSD_CMD_EVENT };

static const struct nla_policy ksd_policy[__KSD_A_MAX] = {
	[KSD_A_VALUE] = { .type = NLA_U32 },
	[KSD_A_NAME] = { .type = NLA_NUL_STRING, .len = 15 },
};
static struct genl_family ksd_family;

static int ksd_echo(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	u32 *hdr = genlmsg_put_reply(reply, info, &ksd_family, 0, KSD_CMD_ECHO);

	if (!info->attrs[KSD_A_VALUE])
		return -EINVAL;
	*hdr = *(u32 *)info->userhdr + 1;  /* family header: echo it back + 1 */
	nla_put_u32(reply, KSD_A_VALUE, nla_get_u32(info->attrs[KSD_A_VALUE]) * 2);
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

/* Three entries, at most two per skb: the core must call us again. */
static int ksd_list(struct sk_buff *skb, struct netlink_callback *cb)
{
	int n = 0;

	while (cb->args[0] < 3 && n < 2) {
		u32 *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq, &ksd_family,
				       NLM_F_MULTI, KSD_CMD_LIST);
		*hdr = 0;
		nla_put_u32(skb, KSD_A_VALUE, (u32)cb->args[0]);
		genlmsg_end(skb, hdr);
		cb->args[0]++;
		n++;
	}
	return skb->len;
}

static const struct genl_ops ksd_ops[] = {
	{ .cmd = KSD_CMD_ECHO, .doit = ksd_echo, .flags = GENL_ADMIN_PERM },
	{ .cmd = KSD_CMD_LIST, .dumpit = ksd_list },
};
static const struct genl_multicast_group ksd_groups[] = { { .name = "events" } };
static struct genl_family ksd_family = {
	.name = "ksdtest", .version = 3, .hdrsize = 4, .maxattr = __KSD_A_MAX - 1, .policy = ksd_policy,
	.ops = ksd_ops, .n_ops = ARRAY_SIZE(ksd_ops), .mcgrps = ksd_groups, .n_mcgrps = 1, .resv_start_op = 42,
};

#define CAPTURE 8
static struct {
	int n;
	unsigned int portid[CAPTURE];
	unsigned int group[CAPTURE];
	char msg[CAPTURE][512];
	unsigned long len[CAPTURE];
	int listeners;
} cap;

static int cap_unicast(void *ctx, unsigned int portid, const void *msg, unsigned long len)
{
	if (cap.n < CAPTURE) {
		cap.portid[cap.n] = portid;
		cap.group[cap.n] = 0;
		cap.len[cap.n] = min(len, 512UL);
		memcpy(cap.msg[cap.n], msg, cap.len[cap.n]);
	}
	cap.n++;
	return 0;
}

static int cap_broadcast(void *ctx, unsigned int group, const void *msg, unsigned long len)
{
	if (!cap.listeners)
		return -ESRCH;
	cap_unicast(ctx, 0, msg, len);
	cap.group[cap.n - 1] = group;
	return 0;
}

/* Builds a request: nlmsghdr + genlmsghdr + family header + attrs. */
static int request(char *buf, u16 type, u16 flags, u8 cmd, u32 famhdr, int hdrsize, int value, const char *name)
{
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	struct nlmsghdr *nlh = __nlmsg_put(skb, 0, 77, type, GENL_HDRLEN + hdrsize, NLM_F_REQUEST | flags);
	struct genlmsghdr *g = nlmsg_data(nlh);
	int len;

	g->cmd = cmd;
	g->version = 1;
	if (hdrsize)
		memcpy((char *)g + GENL_HDRLEN, &famhdr, 4);
	if (value >= 0)
		nla_put_u32(skb, KSD_A_VALUE, value);
	if (name)
		nla_put_string(skb, type == GENL_ID_CTRL ? CTRL_ATTR_FAMILY_NAME : KSD_A_NAME, name);
	nlmsg_end(skb, nlh);
	len = skb->len;
	memcpy(buf, skb->data, len);
	kfree_skb(skb);
	return len;
}

static struct nlattr *reply_attr(int i, int hdrsize, int type)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)cap.msg[i];

	return nla_find(nlmsg_attrdata(nlh, GENL_HDRLEN + hdrsize), nlmsg_attrlen(nlh, GENL_HDRLEN + hdrsize), type);
}

static int nlerr(int i)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)cap.msg[i];
	return nlh->nlmsg_type == NLMSG_ERROR ? ((struct nlmsgerr *)nlmsg_data(nlh))->error : 1;
}

int ksd_genl_family(void)
{
	static const struct umc_genl_transport t = { .unicast = cap_unicast, .broadcast = cap_broadcast };
	char buf[256];
	struct nlattr *a, *grp, *g;
	struct sk_buff *ev;
	int len, step = 0, rem;
	u32 *hdr;

	memset(&cap, 0, sizeof(cap));
	umc_genl_set_transport(&t);
	step++; if (genl_register_family(&ksd_family) || ksd_family.id < GENL_START_ALLOC) goto out;
	step++; if (genl_register_family(&ksd_family) != -EEXIST) goto out;

	/* GETFAMILY "ksdtest" -> NEWFAMILY with id, version, hdrsize, groups */
	len = request(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 0, 0, -1, "ksdtest");
	umc_genl_rcv(99, buf, len);
	step++; if (cap.n != 1 || cap.portid[0] != 99 || ((struct nlmsghdr *)cap.msg[0])->nlmsg_seq != 77) goto out;
	a = reply_attr(0, 0, CTRL_ATTR_FAMILY_ID);
	step++; if (!a || nla_get_u16(a) != ksd_family.id) goto out;
	a = reply_attr(0, 0, CTRL_ATTR_VERSION);
	step++; if (!a || nla_get_u32(a) != 3) goto out;
	a = reply_attr(0, 0, CTRL_ATTR_HDRSIZE);
	step++; if (!a || nla_get_u32(a) != 4) goto out;
	a = reply_attr(0, 0, CTRL_ATTR_MCAST_GROUPS);
	step++; if (!a) goto out;
	grp = nla_data(a);
	g = nla_find(nla_data(grp), nla_len(grp), CTRL_ATTR_MCAST_GRP_NAME);
	step++; if (!g || strcmp(nla_data(g), "events")) goto out;
	g = nla_find(nla_data(grp), nla_len(grp), CTRL_ATTR_MCAST_GRP_ID);
	step++; if (!g || nla_get_u32(g) != ksd_family.mcgrp_offset || ksd_family.mcgrp_offset < 2) goto out;
	(void)rem;

	/* Unknown family name -> NLMSG_ERROR -ENOENT */
	cap.n = 0;
	len = request(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 0, 0, -1, "nosuch");
	umc_genl_rcv(99, buf, len);
	step++; if (cap.n != 1 || nlerr(0) != -ENOENT) goto out;

	/* doit: the attribute doubled, the family header + 1 */
	cap.n = 0;
	len = request(buf, ksd_family.id, 0, KSD_CMD_ECHO, 41, 4, 21, NULL);
	umc_genl_rcv(99, buf, len);
	step++; if (cap.n != 1 || nlerr(0) != 1) goto out;
	a = reply_attr(0, 4, KSD_A_VALUE);
	hdr = (u32 *)((char *)nlmsg_data((struct nlmsghdr *)cap.msg[0]) + GENL_HDRLEN);
	step++; if (!a || nla_get_u32(a) != 42 || *hdr != 42) goto out;

	/* A policy violation never reaches doit: -EINVAL (name too long) */
	cap.n = 0;
	len = request(buf, ksd_family.id, 0, KSD_CMD_ECHO, 0, 4, 1, "much-too-long-name");
	umc_genl_rcv(99, buf, len);
	step++; if (cap.n != 1 || nlerr(0) != -EINVAL) goto out;

	/* unknown command, and no CAP_NET_ADMIN for an admin command */
	cap.n = 0;
	len = request(buf, ksd_family.id, 0, 9, 0, 4, -1, NULL);
	umc_genl_rcv(99, buf, len);
	step++; if (cap.n != 1 || nlerr(0) != -EOPNOTSUPP) goto out;
	cap.n = 0;
	umc_task_set_caps(current->umc, 0);
	len = request(buf, ksd_family.id, 0, KSD_CMD_ECHO, 0, 4, 1, NULL);
	umc_genl_rcv(99, buf, len);
	umc_task_set_caps(current->umc, ~0ULL);
	step++; if (cap.n != 1 || nlerr(0) != -EPERM) goto out;

	/* dump: 3 entries in 2 datagrams, then NLMSG_DONE(0) */
	cap.n = 0;
	len = request(buf, ksd_family.id, NLM_F_DUMP, KSD_CMD_LIST, 0, 4, -1, NULL);
	umc_genl_rcv(99, buf, len);
	step++; if (cap.n != 3) goto out;
	step++; if (((struct nlmsghdr *)cap.msg[2])->nlmsg_type != NLMSG_DONE ||
		    *(int *)nlmsg_data((struct nlmsghdr *)cap.msg[2]) != 0) goto out;
	step++; if (!(((struct nlmsghdr *)cap.msg[0])->nlmsg_flags & NLM_F_MULTI)) goto out;

	/* multicast: -ESRCH without listeners, else to the family's group */
	cap.n = 0;
	ev = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	hdr = genlmsg_put(ev, 0, 1, &ksd_family, 0, KSD_CMD_EVENT);
	genlmsg_end(ev, hdr);
	step++; if (genlmsg_multicast(&ksd_family, ev, 0, 0, GFP_NOWAIT) != -ESRCH) goto out;
	cap.listeners = 1;
	ev = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	hdr = genlmsg_put(ev, 0, 1, &ksd_family, 0, KSD_CMD_EVENT);
	genlmsg_end(ev, hdr);
	step++; if (genlmsg_multicast(&ksd_family, ev, 0, 0, GFP_NOWAIT) != 0 || cap.n != 1 ||
		    cap.group[0] != ksd_family.mcgrp_offset) goto out;
	step = 0;
out:
	genl_unregister_family(&ksd_family);
	umc_genl_set_transport(NULL);
	return step;
}

/* ---- host-served block device ---- */
static char ram[64 * 1024];
static unsigned int last_op, last_flags, ios;

static void ram_submit(void *host, struct umc_bdev_io *io)
{
	unsigned long long off = io->offset;
	int i;

	ios++;
	last_op = io->op;
	last_flags = io->flags;
	if (io->op <= 1) {
		for (i = 0; i < io->iovcnt; i++) {
			struct umc_iov *v = (struct umc_iov *)&io->iov[i];
			if (off + v->len > sizeof(ram)) {
				io->done(io, -EIO);
				return;
			}
			if (io->op == 1)
				memcpy(ram + off, v->base, v->len);
			else
				memcpy(v->base, ram + off, v->len);
			off += v->len;
		}
	}
	io->done(io, 0);
}

static const struct umc_bdev_host_ops ram_ops = { .submit = ram_submit };

int ksd_host_bdev(void)
{
	struct umc_bdev_geometry geo = {
		.size_bytes = sizeof(ram), .logical_block_size = 512, .physical_block_size = 4096,
		.max_io_bytes = 16384, .volatile_cache = true, .fua = true,
	};
	struct block_device *bdev, *again;
	struct page *pg = alloc_page(GFP_KERNEL);
	struct bio *bio;
	int step = 0, holder_a, holder_b;
	char *p;

	memset(ram, 0, sizeof(ram));
	step++; if (umc_bdev_register("/dev/test/disk0", NULL, &ram_ops, &geo)) return step;
	step++; if (umc_bdev_register("/dev/test/disk0", NULL, &ram_ops, &geo) != -EEXIST) return step;
	step++; if (!IS_ERR(blkdev_get_by_path("/dev/test/none", FMODE_READ, NULL))) return step;
	bdev = blkdev_get_by_path("/dev/test/disk0", FMODE_READ | FMODE_WRITE | FMODE_EXCL, &holder_a);
	step++; if (IS_ERR(bdev)) return step;
	again = blkdev_get_by_path("/dev/test/disk0", FMODE_READ | FMODE_WRITE | FMODE_EXCL, &holder_b);
	step++; if (PTR_ERR(again) != -EBUSY) return step;
	step++; if (bdev_nr_sectors(bdev) != 128 || bdev_physical_block_size(bdev) != 4096 ||
		    queue_max_hw_sectors(bdev_get_queue(bdev)) != 32 || !bdev_write_cache(bdev)) return step;
	step++; if (umc_bdev_unregister("/dev/test/disk0") != -EBUSY) return step;

	p = page_address(pg);
	memset(p, 0x5a, PAGE_SIZE);
	bio = bio_alloc(bdev, 1, REQ_OP_WRITE | REQ_FUA, GFP_NOIO);
	bio->bi_iter.bi_sector = 8;
	bio_add_page(bio, pg, 1024, 0);
	step++; if (submit_bio_wait(bio) || last_op != 1 || last_flags != 2 || ram[4096] != 0x5a || ram[4096 + 1024] != 0) return step;
	bio_put(bio);

	memset(p, 0, PAGE_SIZE);
	bio = bio_alloc(bdev, 1, REQ_OP_READ, GFP_NOIO);
	bio->bi_iter.bi_sector = 8;
	bio_add_page(bio, pg, 1024, 0);
	step++; if (submit_bio_wait(bio) || last_op != 0 || p[0] != 0x5a || p[1023] != 0x5a) return step;
	bio_put(bio);

	/* an empty PREFLUSH write is a flush */
	bio = bio_alloc(bdev, 0, REQ_OP_WRITE | REQ_PREFLUSH, GFP_NOIO);
	step++; if (submit_bio_wait(bio) || last_op != 2 || last_flags != 0) return step;
	bio_put(bio);

	/* beyond the device: the host's error reaches the bio */
	bio = bio_alloc(bdev, 1, REQ_OP_READ, GFP_NOIO);
	bio->bi_iter.bi_sector = 200;
	bio_add_page(bio, pg, 512, 0);
	step++; if (submit_bio_wait(bio) != -EIO) return step;
	bio_put(bio);

	blkdev_put(bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
	again = blkdev_get_by_path("/dev/test/disk0", FMODE_READ | FMODE_EXCL, &holder_b);
	step++; if (IS_ERR(again)) return step;
	blkdev_put(again, FMODE_READ | FMODE_EXCL);
	step++; if (umc_bdev_unregister("/dev/test/disk0") != 0) return step;
	__free_page(pg);
	umc_kernel_shutdown();
	return 0;
}

/* ---- plugged submission merges adjacent requests ---- */
struct rec_req { unsigned long long offset, length; int iovcnt; unsigned int flags; };
static struct rec_req recs[16];
static int n_recs;
static unsigned long long fail_offset = ~0ull;

static void rec_submit(void *host, struct umc_bdev_io *io)
{
	if (n_recs < 16)
		recs[n_recs++] = (struct rec_req){ io->offset, io->length, io->iovcnt, io->flags };
	io->done(io, io->offset == fail_offset ? -EIO : 0);
}
static const struct umc_bdev_host_ops rec_ops = { .submit = rec_submit };

static int ended, ended_errors;
static void count_end(struct bio *bio)
{
	ended++;
	if (bio->bi_status)
		ended_errors++;
	bio_put(bio);
}

static void write_at(struct block_device *bdev, struct page *pg, sector_t sector, blk_opf_t extra)
{
	struct bio *bio = bio_alloc(bdev, 1, REQ_OP_WRITE | extra, GFP_NOIO);

	bio->bi_iter.bi_sector = sector;
	bio_add_page(bio, pg, 4096, 0);
	bio->bi_end_io = count_end;
	submit_bio(bio);
}

int ksd_host_bdev_plug_merge(void)
{
	struct umc_bdev_geometry geo = {
		.size_bytes = 1 << 20, .logical_block_size = 512, .physical_block_size = 4096,
		.max_io_bytes = 16384, .volatile_cache = true, .fua = true,
	};
	struct page *pg[7];
	struct block_device *bdev;
	struct blk_plug plug;
	int step = 0, i, holder;

	for (i = 0; i < 7; i++)
		pg[i] = alloc_page(GFP_KERNEL);
	step++; if (umc_bdev_register("/dev/test/plugged", NULL, &rec_ops, &geo)) return step;
	bdev = blkdev_get_by_path("/dev/test/plugged", FMODE_READ | FMODE_WRITE | FMODE_EXCL, &holder);
	step++; if (IS_ERR(bdev)) return step;

	/* Unplugged: every bio is a request of its own. */
	n_recs = ended = ended_errors = 0;
	for (i = 0; i < 4; i++)
		write_at(bdev, pg[i], i * 8, 0);
	step++; if (n_recs != 4 || ended != 4 || recs[0].length != 4096) return step;

	/* Plugged: held until the plug finishes, then adjacent plain writes
	 * merge up to max_io_bytes; a FUA write is not held. */
	n_recs = ended = ended_errors = 0;
	blk_start_plug(&plug);
	for (i = 0; i < 5; i++)
		write_at(bdev, pg[i], i * 8, 0);     /* 0..40 KiB: 16 KiB + 4 KiB */
	write_at(bdev, pg[5], 64, 0);               /* apart */
	write_at(bdev, pg[6], 48, REQ_FUA);         /* FUA: goes at once */
	step++; if (n_recs != 1 || recs[0].offset != 48 * 512 || recs[0].flags != 2 || ended != 1) return step;
	blk_finish_plug(&plug);
	step++; if (n_recs != 4 || ended != 7 || ended_errors) return step;
	step++; if (recs[1].offset != 0 || recs[1].length != 16384 || recs[1].iovcnt != 4) return step;
	step++; if (recs[2].offset != 16384 || recs[2].length != 4096 || recs[2].iovcnt != 1) return step;
	step++; if (recs[3].offset != 64 * 512 || recs[3].length != 4096) return step;

	/* An error of a merged request reaches each of its bios. */
	n_recs = ended = ended_errors = 0;
	fail_offset = 0;
	blk_start_plug(&plug);
	for (i = 0; i < 3; i++)
		write_at(bdev, pg[i], i * 8, 0);
	blk_finish_plug(&plug);
	fail_offset = ~0ull;
	step++; if (n_recs != 1 || ended != 3 || ended_errors != 3) return step;

	/* The host-side bracket does the same for a host thread. */
	n_recs = ended = 0;
	{
		void *hp = umc_plug_start();
		for (i = 0; i < 2; i++)
			write_at(bdev, pg[i], i * 8, 0);
		step++; if (!hp || n_recs != 0) return step;
		umc_plug_finish(hp);
	}
	step++; if (n_recs != 1 || recs[0].length != 8192 || ended != 2) return step;

	blkdev_put(bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
	step++; if (umc_bdev_unregister("/dev/test/plugged") != 0) return step;
	for (i = 0; i < 7; i++)
		__free_page(pg[i]);
	umc_kernel_shutdown();  /* the default bio sets */
	return 0;
}

/* ---- ahash ---- */

static int hex_eq(const u8 *d, const char *hex, unsigned int n)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < n; i++)
		if (hex[2 * i] != digits[d[i] >> 4] || hex[2 * i + 1] != digits[d[i] & 15])
			return 0;
	return hex[2 * n] == 0;
}

static int cb_calls;
static void count_cb(struct crypto_async_request *req, int err) { cb_calls++; }

/* One-shot digest of @len bytes of @sg with @name (keyed if @key). */
static int ahash_one(const char *name, const char *key, struct scatterlist *sg, unsigned int len, const char *hex)
{
	struct crypto_ahash *tfm = crypto_alloc_ahash(name, 0, CRYPTO_ALG_ASYNC);
	struct ahash_request *req;
	u8 out[HASH_MAX_DIGESTSIZE];
	DECLARE_CRYPTO_WAIT(wait);
	int ok;

	if (IS_ERR(tfm))
		return 0;
	if (key && crypto_ahash_setkey(tfm, (const u8 *)key, strlen(key))) {
		crypto_free_ahash(tfm);
		return 0;
	}
	req = ahash_request_alloc(tfm, GFP_KERNEL);
	if (!req) {
		crypto_free_ahash(tfm);
		return 0;
	}
	ahash_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG | CRYPTO_TFM_REQ_MAY_SLEEP, crypto_req_done, &wait);
	ahash_request_set_crypt(req, sg, out, len);
	ok = crypto_wait_req(crypto_ahash_digest(req), &wait) == 0 &&
	     hex_eq(out, hex, crypto_ahash_digestsize(tfm));
	ahash_request_free(req);
	crypto_free_ahash(tfm);
	return ok;
}

int ksd_ahash_vectors(void)
{
	static const char abc[] = "abc";
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char jefe[] = "what do ya want for nothing?"; /* on the stack */
	struct scatterlist one, a[2], b[2], *sg;
	struct crypto_ahash *tfm;
	struct ahash_request *req;
	struct page *page;
	u8 out[HASH_MAX_DIGESTSIZE];
	char *heap;
	int ret = 0;

	/* FIPS 180-2 / RFC 1321, one entry of static data. */
	sg_init_one(&one, abc, 3);
	if (!ahash_one("sha256", NULL, &one, 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
		return 1;
	if (!ahash_one("md5", NULL, &one, 3, "900150983cd24fb0d6963f7d28e17f72"))
		return 2;
	/* RFC 2202 / RFC 4231 test case 2 ("Jefe"), from the stack. */
	sg_init_one(&one, jefe, strlen(jefe));
	if (!ahash_one("hmac(md5)", "Jefe", &one, strlen(jefe), "750c783e6ab0b503eaa86e310a5db738"))
		return 3;
	if (!ahash_one("hmac(sha256)", "Jefe", &one, strlen(jefe),
		       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
		return 4;
	/* A chained list: kmalloc'ed head piece, then a page frame; the last
	 * entry is longer than nbytes (only nbytes are hashed). */
	heap = kmalloc(10, GFP_KERNEL);
	page = alloc_page(GFP_KERNEL);
	if (!heap || !page)
		return 5;
	memcpy(heap, two_blocks, 10);
	memcpy((char *)page_address(page) + 100, two_blocks + 10, sizeof(two_blocks) - 10);
	sg_init_table(a, 2);
	sg_set_buf(&a[0], heap, 10);
	sg_init_table(b, 1);
	sg_set_page(&b[0], page, 200, 100);
	sg_chain(a, 2, b);
	if (sg_page(&b[0]) != page || sg_virt(&b[0]) != (char *)page_address(page) + 100)
		return 6;
	if (!ahash_one("sha256", NULL, a, sizeof(two_blocks) - 1,
		       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"))
		return 7;
	/* init/update/final in pieces, callback never called (synchronous). */
	tfm = crypto_alloc_ahash("sha1", 0, 0);
	if (IS_ERR(tfm) || crypto_ahash_digestsize(tfm) != 20 || strcmp(crypto_ahash_alg_name(tfm), "sha1"))
		return 8;
	req = ahash_request_alloc(tfm, GFP_KERNEL);
	if (!req)
		return 9;
	ahash_request_set_callback(req, 0, count_cb, NULL);
	sg = a;
	ahash_request_set_crypt(req, sg, out, 10);
	if (crypto_ahash_init(req) || crypto_ahash_update(req))
		ret = 10;
	ahash_request_set_crypt(req, b, out, sizeof(two_blocks) - 11);
	if (!ret && (crypto_ahash_update(req) || crypto_ahash_final(req)))
		ret = 11;
	if (!ret && !hex_eq(out, "84983e441c3bd26ebaae4aa1f95129e5e54670f1", 20)) /* FIPS 180-2 */
		ret = 12;
	/* nbytes beyond the list. */
	ahash_request_set_crypt(req, &one, out, 1000);
	if (!ret && crypto_ahash_digest(req) != -EINVAL)
		ret = 13;
	if (!ret && cb_calls)
		ret = 14;
	ahash_request_free(req);
	crypto_free_ahash(tfm);
	kfree(heap);
	__free_page(page);
	if (ret)
		return ret;
	/* Names and keys as the shash: unknown -ENOENT, no key -ENOKEY. */
	if (PTR_ERR(crypto_alloc_ahash("no-such-hash", 0, 0)) != -ENOENT)
		return 15;
	tfm = crypto_alloc_ahash("hmac(sha1)", 0, 0);
	if (IS_ERR(tfm))
		return 16;
	req = ahash_request_alloc(tfm, GFP_KERNEL);
	ahash_request_set_crypt(req, &one, out, 1);
	if (crypto_ahash_digest(req) != -ENOKEY)
		ret = 17;
	ahash_request_free(req);
	crypto_free_ahash(tfm);
	return ret;
}

/* ---- backing-device claims and rescans ---- */

int ksd_host_bdev_claims(void)
{
	struct umc_bdev_geometry geo = { .size_bytes = 1 << 20, .logical_block_size = 512 };
	struct block_device *a, *b, *c;
	int step = 0, holder, other;

	step++; if (umc_bdev_register("/dev/test/claims", NULL, &ram_ops, &geo)) return step;
	step++; if (umc_bdev_claimed("/dev/test/claims") != 0) return step;
	step++; if (umc_bdev_claimed("/dev/test/none") != -ENOENT) return step;
	/* a shared open is no claim */
	c = blkdev_get_by_path("/dev/test/claims", FMODE_READ, NULL);
	step++; if (IS_ERR(c) || umc_bdev_claimed("/dev/test/claims") != 0) return step;
	/* the same holder twice, as DRBD with internal meta data */
	a = blkdev_get_by_path("/dev/test/claims", FMODE_READ | FMODE_WRITE | FMODE_EXCL, &holder);
	b = blkdev_get_by_path("/dev/test/claims", FMODE_READ | FMODE_WRITE | FMODE_EXCL, &holder);
	step++; if (IS_ERR(a) || IS_ERR(b) || umc_bdev_claimed("/dev/test/claims") != 1) return step;
	blkdev_put(b, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
	/* still claimed by the first open: another holder is refused */
	step++; if (umc_bdev_claimed("/dev/test/claims") != 1) return step;
	step++; if (PTR_ERR(blkdev_get_by_path("/dev/test/claims", FMODE_READ | FMODE_EXCL, &other)) != -EBUSY) return step;
	/* a rescan: the opener sees the new size */
	step++; if (umc_bdev_set_size("/dev/test/claims", 3 << 20) || bdev_nr_sectors(a) != (3 << 20) / 512) return step;
	step++; if (umc_bdev_set_size("/dev/test/none", 1) != -ENOENT) return step;
	blkdev_put(a, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
	step++; if (umc_bdev_claimed("/dev/test/claims") != 0) return step;
	blkdev_put(c, FMODE_READ);
	step++; if (umc_bdev_unregister("/dev/test/claims")) return step;
	return 0;
}

/* ---- module parameters as sysfs shows them ---- */
static bool ksd_flag = true;
module_param_named(ksd_flag, ksd_flag, bool, 0644);
static bool ksd_hidden;
module_param_named(ksd_hidden, ksd_hidden, bool, 0);
static int ksd_int = -3;
module_param_named(ksd_int, ksd_int, int, 0644);
static unsigned int ksd_count = 32;
module_param_named(ksd_count, ksd_count, uint, 0444);
static unsigned long ksd_big = 1;
module_param_named(ksd_big, ksd_big, ulong, 0644);
static char *ksd_charp = "first";
module_param_named(ksd_charp, ksd_charp, charp, 0644);
static char ksd_str[8] = "abc";
module_param_string(ksd_str, ksd_str, sizeof(ksd_str), 0644);

static int param_index(const char *name)
{
	unsigned int i, n = umc_module_param_count();
	const char *pn;

	for (i = 0; i < n; i++)
		if (!umc_module_param_info(i, &pn, NULL) && !strcmp(pn, name))
			return i;
	return -1;
}

static int shows(const char *name, const char *want)
{
	char buf[64];
	int i = param_index(name), len;

	if (i < 0)
		return 0;
	len = umc_module_param_show(i, buf, sizeof(buf));
	return len == (int)strlen(want) && !strcmp(buf, want);
}

static int store(const char *name, const char *val)
{
	int i = param_index(name);

	return i < 0 ? -ENOENT : umc_module_param_store(i, val, strlen(val));
}

int ksd_module_params(void)
{
	unsigned int perm = 1, n = umc_module_param_count();
	const char *name = NULL;
	char small[3];
	int step = 0;

	step++; if (n < 7 || param_index("ksd_str") < 0) return step;
	step++; if (umc_module_param_info(n, &name, &perm) != -ENOENT) return step;
	step++; if (umc_module_param_info(param_index("ksd_count"), &name, &perm) || strcmp(name, "ksd_count") || perm != 0444) return step;
	step++; if (umc_module_param_show(n, small, sizeof(small)) != -ENOENT) return step;
	/* what sysfs shows */
	step++; if (!shows("ksd_flag", "Y\n") || !shows("ksd_hidden", "N\n") || !shows("ksd_int", "-3\n")) return step;
	step++; if (!shows("ksd_count", "32\n") || !shows("ksd_big", "1\n") || !shows("ksd_charp", "first\n") || !shows("ksd_str", "abc\n")) return step;
	step++; if (umc_module_param_show(param_index("ksd_count"), small, sizeof(small)) != -ENOSPC) return step;
	/* bool: y/n/Y/N/1/0/on/off, one newline dropped */
	step++; if (store("ksd_flag", "n\n") || ksd_flag || !shows("ksd_flag", "N\n")) return step;
	step++; if (store("ksd_flag", "on") || !ksd_flag || store("ksd_flag", "0") || ksd_flag) return step;
	step++; if (store("ksd_flag", "Y") || !ksd_flag || store("ksd_flag", "off\n") || ksd_flag) return step;
	step++; if (store("ksd_flag", "x") != -EINVAL || store("ksd_flag", "") != -EINVAL || store("ksd_flag", "o") != -EINVAL || ksd_flag) return step;
	/* not writable */
	step++; if (store("ksd_hidden", "1") != -EPERM || ksd_hidden) return step;
	step++; if (store("ksd_count", "7") != -EPERM || ksd_count != 32) return step;
	/* numbers: base 0, range, garbage */
	step++; if (store("ksd_int", "-17\n") || ksd_int != -17 || store("ksd_int", "0x10") || ksd_int != 16) return step;
	step++; if (store("ksd_int", "12ab") != -EINVAL || store("ksd_int", "4294967296") != -EINVAL || ksd_int != 16) return step;
	step++; if (store("ksd_int", "5\n\n") != -EINVAL || store("ksd_int", " 5") != -EINVAL || ksd_int != 16) return step;
	step++; if (store("ksd_big", "-1") != -EINVAL || store("ksd_big", "18446744073709551615") || ksd_big != ~0UL) return step;
	/* strings: up to maxlen - 1 characters */
	step++; if (store("ksd_str", "1234567\n") || strcmp(ksd_str, "1234567") || !shows("ksd_str", "1234567\n")) return step;
	step++; if (store("ksd_str", "12345678") != -EINVAL || strcmp(ksd_str, "1234567")) return step;
	step++; if (store("ksd_str", "") || ksd_str[0]) return step;
	/* charp: a copy of the value (freed at shutdown) */
	step++; if (store("ksd_charp", "second\n") || strcmp(ksd_charp, "second")) return step;
	step++; if (store("ksd_charp", "third") || strcmp(ksd_charp, "third") || !shows("ksd_charp", "third\n")) return step;
	umc_kernel_shutdown();
	step++; if (ksd_charp) return step;
	return 0;
}

/* ---- disks the kernel side makes, as the host program uses them ---- */

struct fake_disk {
	struct gendisk *disk;
	/* what the fake driver saw */
	int opens, releases;
	unsigned int last_open_mode, last_release_mode;
	int open_error;
	int submits, segments, bad_segments;
	blk_opf_t last_opf;
	sector_t first_sector;
	unsigned int total_bytes;
	unsigned int zero_bytes;  /* written bytes that were all zeroes */
	const char *expect_addr[8];  /* the host bytes each segment must map */
	unsigned int expect_len[8];
	int nexpect;
	blk_status_t fail_with;
	/* blocking open */
	bool block_open;
	struct completion open_entered, open_go;
};
static struct fake_disk fake;
#define bio_op_of(opf) ((opf) & REQ_OP_MASK)

static int fake_open(struct block_device *bdev, fmode_t mode)
{
	struct fake_disk *f = bdev->bd_disk->private_data;

	if (f->block_open) {
		complete(&f->open_entered);
		wait_for_completion(&f->open_go);
	}
	if (f->open_error)
		return f->open_error;
	f->opens++;
	f->last_open_mode = mode;
	return 0;
}

static void fake_release(struct gendisk *disk, fmode_t mode)
{
	struct fake_disk *f = disk->private_data;

	f->releases++;
	f->last_release_mode = mode;
}

/* Splits to the queue's limits as DRBD does, then walks the segments and
 * checks that each maps the next bytes of the host's iovecs, within one
 * page. */
static void fake_submit_bio(struct bio *bio)
{
	struct fake_disk *f = bio->bi_bdev->bd_disk->private_data;
	struct bvec_iter iter;
	struct bio_vec bv;

	bio = bio_split_to_limits(bio);
	if (!bio)
		return;
	if (!f->submits++) {
		f->first_sector = bio->bi_iter.bi_sector;
		f->last_opf = bio->bi_opf;
	}
	if (bio_has_data(bio))
		bio_for_each_segment(bv, bio, iter) {
			const char *p = (const char *)page_address(bv.bv_page) + bv.bv_offset;
			unsigned int done = f->total_bytes, i = 0, at = 0;

			/* which iovec byte `done` is */
			while (i < f->nexpect && done >= at + f->expect_len[i])
				at += f->expect_len[i++];
			if (i == f->nexpect || p != f->expect_addr[i] + (done - at) ||
			    bv.bv_offset + bv.bv_len > PAGE_SIZE || done - at + bv.bv_len > f->expect_len[i] ||
			    page_count(bv.bv_page) != 1 || bv.bv_len % SECTOR_SIZE)
				f->bad_segments++;
			/* a read fills, a write is checked */
			if (bio_op(bio) == REQ_OP_READ)
				memset((char *)p, 0x11, bv.bv_len);
			else if (p[0] != (char)0xab)
				f->bad_segments++;
			if (bio_op(bio) == REQ_OP_WRITE) {
				unsigned int z = 0;
				while (z < bv.bv_len && !p[z])
					z++;
				if (z == bv.bv_len)
					f->zero_bytes += bv.bv_len;
			}
			f->segments++;
			f->total_bytes += bv.bv_len;
		}
	else
		f->total_bytes += bio->bi_iter.bi_size;
	bio->bi_status = f->fail_with;
	bio_endio(bio);
}

static const struct block_device_operations fake_fops = {
	.submit_bio = fake_submit_bio,
	.open = fake_open,
	.release = fake_release,
};

/* What the listener heard. */
static char heard_added[32], heard_removed[32];
static unsigned int heard_major, heard_minor;
static int adds, removes;

static void on_added(void *ctx, const char *name, unsigned int major, unsigned int minor)
{
	strscpy(heard_added, name, sizeof(heard_added));
	heard_major = major;
	heard_minor = minor;
	adds++;
}

static void on_removed(void *ctx, const char *name)
{
	strscpy(heard_removed, name, sizeof(heard_removed));
	removes++;
}

static const struct umc_disk_listener listener = { .added = on_added, .removed = on_removed };

struct done_rec {
	struct umc_bdev_io io;
	int calls, status;
};

static void io_done_rec(struct umc_bdev_io *io, int status)
{
	struct done_rec *d = container_of(io, struct done_rec, io);

	d->calls++;
	d->status = status;
}

static void reset_fake_io(void)
{
	fake.submits = fake.segments = fake.bad_segments = 0;
	fake.total_bytes = 0;
	fake.zero_bytes = 0;
	fake.last_opf = 0;
	fake.first_sector = 0;
}

/* Runs one request; returns io->done's status, or -1000 - calls when done
 * did not run exactly once. */
static int run_io(struct umc_disk *h, unsigned int op, unsigned int flags, unsigned long long off,
		  unsigned long long len, const struct umc_iov *iov, int iovcnt)
{
	struct done_rec d = { .io = { .op = op, .flags = flags, .offset = off, .length = len, .iov = iov,
				      .iovcnt = iovcnt, .done = io_done_rec } };

	reset_fake_io();
	umc_disk_submit(h, &d.io);
	return d.calls == 1 ? d.status : -1000 - d.calls;
}

static struct gendisk *make_fake_disk(const char *name, int minor)
{
	struct gendisk *disk = blk_alloc_disk(NUMA_NO_NODE);

	if (!disk)
		return NULL;
	disk->major = 250;
	disk->first_minor = minor;
	disk->fops = &fake_fops;
	disk->private_data = &fake;
	strscpy(disk->disk_name, name, sizeof(disk->disk_name));
	blk_queue_logical_block_size(disk->queue, 512);
	blk_queue_max_hw_sectors(disk->queue, 8);  /* 4 KiB: bigger requests are split */
	disk->queue->limits.max_sectors = 8;
	blk_queue_max_discard_sectors(disk->queue, 1024);
	blk_queue_write_cache(disk->queue, true, true);
	set_capacity(disk, 2048);  /* 1 MiB */
	return disk;
}

int ksd_host_disk_io(void)
{
	struct umc_disk_info info;
	struct umc_disk *h;
	struct umc_iov iov[3];
	char *buf = kmalloc(4 * PAGE_SIZE, GFP_KERNEL), *rbuf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	int step = 0;

	memset(&fake, 0, sizeof(fake));
	adds = removes = 0;
	umc_disk_set_listener(&listener);
	fake.disk = make_fake_disk("fake7", 7);
	step++; if (!fake.disk || !buf || !rbuf) return step;
	step++; if (umc_disk_lookup("fake7")) return step;  /* not added yet */
	step++; if (add_disk(fake.disk) || adds != 1 || strcmp(heard_added, "fake7") || heard_major != 250 || heard_minor != 7) return step;
	h = umc_disk_lookup("fake7");
	step++; if (!h || umc_disk_lookup("fake8")) return step;

	umc_disk_get_info(h, &info);
	step++; if (!info.live || info.capacity_bytes != 1 << 20 || info.logical_block_size != 512 ||
		    info.max_io_bytes != 4096 || info.max_discard_bytes != 1024 * 512 || info.read_only) return step;
	set_disk_ro(fake.disk, true);
	umc_disk_get_info(h, &info);
	step++; if (!info.read_only) return step;
	set_disk_ro(fake.disk, false);

	/* open/release reach the driver with the mode; its errno comes back */
	step++; if (umc_disk_open(h, UMC_FMODE_READ | UMC_FMODE_WRITE) || fake.opens != 1 ||
		    fake.last_open_mode != (FMODE_READ | FMODE_WRITE)) return step;
	umc_disk_release(h, UMC_FMODE_READ | UMC_FMODE_WRITE);
	step++; if (fake.releases != 1 || fake.last_release_mode != (FMODE_READ | FMODE_WRITE)) return step;
	fake.open_error = -EROFS;
	step++; if (umc_disk_open(h, UMC_FMODE_WRITE) != -EROFS) return step;
	fake.open_error = 0;

	/* memory O_DIRECT would refuse (not sector aligned) is refused */
	memset(buf, 0xab, 4 * PAGE_SIZE);
	iov[0].base = buf + 100;
	iov[0].len = 4096;
	step++; if (run_io(h, 1, 0, 4096, 4096, iov, 1) != -EINVAL || fake.submits) return step;

	/* a write of 8 KiB from three iovecs (one empty) at sector- but not
	 * page-aligned host addresses: split at 4 KiB, each segment within a
	 * page, a whole number of sectors, mapping the right bytes; one
	 * completion */
	iov[0].base = buf + 512;
	iov[0].len = 5120;
	iov[1].base = buf;
	iov[1].len = 0;
	iov[2].base = buf + 2 * PAGE_SIZE + 1024;
	iov[2].len = 8192 - 5120;
	fake.nexpect = 2;
	fake.expect_addr[0] = buf + 512;
	fake.expect_len[0] = 5120;
	fake.expect_addr[1] = buf + 2 * PAGE_SIZE + 1024;
	fake.expect_len[1] = 8192 - 5120;
	step++; if (run_io(h, 1, 2, 4096, 8192, iov, 3) != 0) return step;
	step++; if (fake.submits != 2 || fake.bad_segments || fake.total_bytes != 8192 || fake.first_sector != 8 ||
		    bio_op_of(fake.last_opf) != REQ_OP_WRITE || !(fake.last_opf & REQ_FUA) || (fake.last_opf & REQ_PREFLUSH)) return step;
	/* fewer segments than pages touched would mean a segment crossed a page */
	step++; if (fake.segments < 4) return step;

	/* a read fills the host buffer */
	memset(rbuf, 0, PAGE_SIZE);
	iov[0].base = rbuf;
	iov[0].len = 1024;
	fake.nexpect = 1;
	fake.expect_addr[0] = rbuf;
	fake.expect_len[0] = 1024;
	step++; if (run_io(h, 0, 0, 0, 1024, iov, 1) || fake.bad_segments || rbuf[0] != 0x11 || rbuf[1023] != 0x11 || rbuf[1024]) return step;
	/* the driver's error reaches the host */
	fake.fail_with = BLK_STS_IOERR;
	step++; if (run_io(h, 0, 0, 0, 1024, iov, 1) != -EIO) return step;
	fake.fail_with = BLK_STS_OK;
	/* flush: an empty PREFLUSH write */
	step++; if (run_io(h, 2, 0, 0, 0, NULL, 0) || fake.submits != 1 || bio_op_of(fake.last_opf) != REQ_OP_WRITE ||
		    !(fake.last_opf & REQ_PREFLUSH) || fake.total_bytes) return step;
	/* write with preflush */
	iov[0].base = buf;
	iov[0].len = 512;
	fake.nexpect = 1;
	fake.expect_addr[0] = buf;
	fake.expect_len[0] = 512;
	step++; if (run_io(h, 1, 1, 512, 512, iov, 1) || !(fake.last_opf & REQ_PREFLUSH) || (fake.last_opf & REQ_FUA)) return step;
	/* discard: no data */
	step++; if (run_io(h, 3, 0, 8192, 65536, NULL, 0) || bio_op_of(fake.last_opf) != REQ_OP_DISCARD ||
		    fake.total_bytes != 65536 || fake.first_sector != 16) return step;
	/* write-zeroes where the driver has none: written as pages of zeroes,
	 * as blkdev_issue_zeroout without BLKDEV_ZERO_NOFALLBACK does (what a
	 * kernel's fallocate(FALLOC_FL_ZERO_RANGE) of a block device runs);
	 * split at the queue's max_sectors (4 KiB here) */
	step++; if (run_io(h, 4, 0, 0, 4096, NULL, 0) || fake.submits != 1 || bio_op_of(fake.last_opf) != REQ_OP_WRITE ||
		    fake.total_bytes != 4096 || fake.zero_bytes != 4096) return step;
	step++; if (run_io(h, 4, 0, 8192, 16384, NULL, 0) || fake.submits != 4 || fake.first_sector != 16 ||
		    fake.total_bytes != 16384 || fake.zero_bytes != 16384) return step;
	fake.fail_with = BLK_STS_IOERR;
	step++; if (run_io(h, 4, 0, 0, 8192, NULL, 0) != -EIO) return step;
	fake.fail_with = BLK_STS_OK;
	/* refused before the driver: beyond the end, misaligned, lengths
	 * that do not add up, flags on a read, unknown op */
	iov[0].len = 1024;
	step++; if (run_io(h, 0, 0, (1 << 20) - 512, 1024, iov, 1) != -EIO || fake.submits) return step;
	iov[0].len = 512;
	step++; if (run_io(h, 1, 0, 100, 512, iov, 1) != -EINVAL || run_io(h, 1, 0, 0, 1024, iov, 1) != -EINVAL) return step;
	step++; if (run_io(h, 0, 2, 0, 512, iov, 1) != -EINVAL || run_io(h, 9, 0, 0, 512, iov, 1) != -EINVAL || fake.submits) return step;

	umc_disk_put(h);
	del_gendisk(fake.disk);
	put_disk(fake.disk);
	umc_disk_set_listener(NULL);
	kfree(buf);
	kfree(rbuf);
	umc_kernel_shutdown();
	return 0;
}

/* ---- deletion while the host holds a handle and is inside an open ---- */

struct opener {
	struct umc_disk *h;
	int ret;
	struct completion done;
};

static int opener_fn(void *data)
{
	struct opener *o = data;

	o->ret = umc_disk_open(o->h, UMC_FMODE_READ);
	complete(&o->done);
	park_until_stopped();
	return 0;
}

struct deleter {
	struct gendisk *disk;
	struct completion done;
};

static int deleter_fn(void *data)
{
	struct deleter *d = data;

	del_gendisk(d->disk);
	complete(&d->done);
	park_until_stopped();
	return 0;
}

int ksd_host_disk_delete(void)
{
	struct umc_disk_info info;
	struct umc_disk *h;
	struct opener o;
	struct deleter del;
	struct task_struct *to, *td;
	struct umc_iov iov = { .base = NULL, .len = 512 };
	char *buf = kmalloc(512, GFP_KERNEL);
	int step = 0;

	memset(&fake, 0, sizeof(fake));
	adds = removes = 0;
	init_completion(&fake.open_entered);
	init_completion(&fake.open_go);
	umc_disk_set_listener(&listener);
	fake.disk = make_fake_disk("fake9", 9);
	step++; if (!fake.disk || !buf || add_disk(fake.disk)) return step;
	h = umc_disk_lookup("fake9");
	step++; if (!h) return step;

	/* a host call is inside ->open when the module deletes the disk */
	fake.block_open = true;
	o.h = h;
	init_completion(&o.done);
	to = kthread_run(opener_fn, &o, "ksd_opener");
	step++; if (IS_ERR(to)) return step;
	wait_for_completion(&fake.open_entered);
	del.disk = fake.disk;
	init_completion(&del.done);
	td = kthread_run(deleter_fn, &del, "ksd_deleter");
	step++; if (IS_ERR(td)) return step;
	/* del_gendisk has marked the disk dead ... */
	while (disk_live(fake.disk))
		cpu_relax();
	/* ... and new calls fail, but it waits for the open inside */
	step++; if (umc_disk_open(h, UMC_FMODE_READ) != -ENXIO) return step;
	step++; if (completion_done(&del.done) || removes) return step;
	complete(&fake.open_go);
	wait_for_completion(&o.done);
	wait_for_completion(&del.done);
	step++; if (o.ret || fake.opens != 1 || removes != 1 || strcmp(heard_removed, "fake9")) return step;
	kthread_stop(to);
	kthread_stop(td);
	step++; if (umc_disk_lookup("fake9")) return step;

	/* the handle outlives the module's put_disk */
	put_disk(fake.disk);
	fake.disk = NULL;
	umc_disk_get_info(h, &info);
	step++; if (info.live || info.capacity_bytes || info.logical_block_size || info.max_io_bytes) return step;
	step++; if (umc_disk_open(h, UMC_FMODE_READ) != -ENXIO) return step;
	/* the open that succeeded is released without reaching the driver */
	umc_disk_release(h, UMC_FMODE_READ);
	step++; if (fake.releases) return step;
	iov.base = buf;
	step++; if (run_io(h, 0, 0, 0, 512, &iov, 1) != -ENXIO || fake.submits) return step;
	umc_disk_put(h);  /* frees the disk (a leak or a use after free shows under ASan) */
	umc_disk_set_listener(NULL);
	kfree(buf);
	return 0;
}
