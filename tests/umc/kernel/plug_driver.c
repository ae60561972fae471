// SPDX-License-Identifier: GPL-2.0
/* See plug_driver.h. */
#include <linux/blkdev.h>
#include <linux/slab.h>
#include <linux/net.h>
#include <linux/in.h>
#include <net/sock.h>
#include "plug_driver.h"

struct plug_probe {
	struct blk_plug_cb cb; /* first: blk_check_plugged allocates us */
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
		return 1; /* not plugged */
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
	/* So does blocking in a socket wait inside the runtime (an accept
	 * that times out here), as sk_wait_data's schedule() does. */
	{
		struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		struct socket *lst, *child;

		if (sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP, &lst))
			return 7;
		if (lst->ops->bind(lst, (struct sockaddr *)&addr, sizeof(addr)) || lst->ops->listen(lst, 1)) {
			sock_release(lst);
			return 8;
		}
		lst->sk->sk_rcvtimeo = 1;
		blk_start_plug(&plug);
		blk_check_plugged(probe_unplug, &key, sizeof(struct plug_probe));
		if (kernel_accept(lst, &child, 0) != -EAGAIN) {
			sock_release(lst);
			return 9;
		}
		sock_release(lst);
		if (probe_runs != 3 || !probe_from_schedule)
			return 10;
		blk_finish_plug(&plug);
	}
	(void)last_probe;
	return 0;
}
