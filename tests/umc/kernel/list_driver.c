// SPDX-License-Identifier: GPL-2.0
/* See list_driver.h. */
#include <linux/list.h>
#include "list_driver.h"

struct item {
	int v;
	struct list_head node;
	struct hlist_node hnode;
};

static int collect(struct list_head *head, int *out, int max)
{
	struct item *it;
	int n = 0;
	list_for_each_entry(it, head, node)
	{
		if (n < max)
			out[n] = it->v;
		n++;
	}
	return n;
}

/* Adds vals with list_add_tail, moves the first to the tail, deletes the
 * entry with value 0 (if any) while iterating safely, adds -1 at the head. */
int kd_list_ops(const int *vals, int n, int *out, int max)
{
	struct item items[32], head_item = {.v = -1};
	struct item *it, *tmp;
	LIST_HEAD(head);
	int i;

	for (i = 0; i < n && i < 32; i++) {
		items[i].v = vals[i];
		list_add_tail(&items[i].node, &head);
	}
	if (!list_empty(&head))
		list_move_tail(head.next, &head);
	list_for_each_entry_safe(it, tmp, &head, node) if (it->v == 0) list_del(&it->node);
	list_add(&head_item.node, &head);
	return collect(&head, out, max);
}

int kd_list_splice_and_move(int *out, int max)
{
	struct item a[3] = {{.v = 1}, {.v = 2}, {.v = 3}};
	struct item b[2] = {{.v = 10}, {.v = 20}};
	LIST_HEAD(la);
	LIST_HEAD(lb);
	int i, n;

	for (i = 0; i < 3; i++)
		list_add_tail(&a[i].node, &la);
	for (i = 0; i < 2; i++)
		list_add_tail(&b[i].node, &lb);
	list_splice_tail_init(&lb, &la); /* 1 2 3 10 20 */
	if (!list_empty(&lb))
		return -1;
	list_move(&b[1].node, &la); /* 20 1 2 3 10 */
	n = collect(&la, out, max);
	if (list_first_entry(&la, struct item, node)->v != 20 || list_last_entry(&la, struct item, node)->v != 10 ||
	    !list_is_last(&b[0].node, &la))
		return -2;
	return n;
}

int kd_hlist_ops(int *out, int max)
{
	struct item a[3] = {{.v = 1}, {.v = 2}, {.v = 3}};
	HLIST_HEAD(h);
	struct item *it;
	struct hlist_node *tmp;
	int i, n = 0;

	for (i = 0; i < 3; i++)
		hlist_add_head(&a[i].hnode, &h); /* 3 2 1 */
	hlist_del_init(&a[1].hnode);             /* 3 1 */
	if (!hlist_unhashed(&a[1].hnode))
		return -1;
	hlist_del_init(&a[1].hnode); /* harmless twice */
	hlist_for_each_entry_safe(it, tmp, &h, hnode)
	{
		if (n < max)
			out[n] = it->v;
		n++;
	}
	return n;
}

int kd_list_del_poisons(void)
{
	struct item a = {.v = 1};
	LIST_HEAD(h);
	list_add(&a.node, &h);
	list_del(&a.node);
	return list_empty(&h) && a.node.next == LIST_POISON1 && a.node.prev == LIST_POISON2;
}
