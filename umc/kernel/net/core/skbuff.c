// SPDX-License-Identifier: GPL-2.0
/* Linear sk_buffs for netlink messages (see linux/skbuff.h).  The header
 * and the data area are one allocation; users counts references. */
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/kernel.h>
#include <linux/bug.h>

struct sk_buff *alloc_skb(unsigned int size, gfp_t priority)
{
	struct sk_buff *skb;
	unsigned int data_size = ALIGN(size, 8);

	skb = kmalloc(sizeof(*skb) + data_size, priority & ~__GFP_ZERO);
	if (!skb)
		return NULL;
	memset(skb, 0, sizeof(*skb));
	skb->head = (unsigned char *)(skb + 1);
	skb->data = skb->head;
	skb->tail = 0;
	skb->end = data_size;
	skb->truesize = sizeof(*skb) + data_size;
	refcount_set(&skb->users, 1);
	return skb;
}

void kfree_skb(struct sk_buff *skb)
{
	if (!skb)
		return;
	if (!refcount_dec_and_test(&skb->users))
		return;
	kfree(skb);
}

void consume_skb(struct sk_buff *skb)
{
	kfree_skb(skb);
}

void *skb_put(struct sk_buff *skb, unsigned int len)
{
	void *tmp = skb_tail_pointer(skb);

	if (unlikely(skb->tail + len > skb->end)) {
		pr_emerg("skb_over_panic: len:%u put:%u end:%u\n", skb->len, len, skb->end);
		BUG();
	}
	skb->tail += len;
	skb->len += len;
	return tmp;
}

void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (skb->len > len) {
		skb->len = len;
		skb->tail = (unsigned int)(skb->data - skb->head) + len;
	}
}

struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t priority)
{
	struct sk_buff *n = alloc_skb(skb->end, priority);

	if (!n)
		return NULL;
	memcpy(n->head, skb->head, skb->tail);
	n->data = n->head + (skb->data - skb->head);
	n->tail = skb->tail;
	n->len = skb->len;
	memcpy(n->cb, skb->cb, sizeof(n->cb));
	n->sk = skb->sk;
	return n;
}

/* A clone shares nothing here: netlink fan-out copies instead. */
struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t priority)
{
	return skb_copy(skb, priority);
}
