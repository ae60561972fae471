/* A linear socket buffer: one contiguous data area, enough for netlink
 * messages (DRBD never sends data through skbs).  [head, head + end) is
 * the buffer, [data, data + len) the message, head + tail its end.
 * Out-of-line parts: umc/kernel/net/core/skbuff.c. */
#ifndef _LINUX_SKBUFF_H
#define _LINUX_SKBUFF_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/refcount.h>
#include <linux/gfp.h>
#include <linux/string.h>

struct sock;
struct net_device;

struct sk_buff {
	struct sk_buff *next;
	struct sk_buff *prev;
	struct sock *sk;
	char cb[48] __aligned(8);
	unsigned int len;
	unsigned int data_len;
	__u32 priority;
	__u16 protocol;
	unsigned char *head;
	unsigned char *data;
	unsigned int tail;  /* offset from head */
	unsigned int end;   /* offset from head */
	unsigned int truesize;
	refcount_t users;
};

struct sk_buff *alloc_skb(unsigned int size, gfp_t priority);
void kfree_skb(struct sk_buff *skb);
void consume_skb(struct sk_buff *skb);
/* Extends the message by len bytes at the tail; BUG if there is no room. */
void *skb_put(struct sk_buff *skb, unsigned int len);
/* Cuts the message to len bytes (no-op if already shorter). */
void skb_trim(struct sk_buff *skb, unsigned int len);
struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t priority);
struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t priority);

static inline unsigned char *skb_tail_pointer(const struct sk_buff *skb) { return skb->head + skb->tail; }
static inline unsigned char *skb_end_pointer(const struct sk_buff *skb) { return skb->head + skb->end; }
static inline int skb_tailroom(const struct sk_buff *skb) { return (int)(skb->end - skb->tail); }
static inline unsigned int skb_headlen(const struct sk_buff *skb) { return skb->len - skb->data_len; }
static inline void *skb_put_data(struct sk_buff *skb, const void *data, unsigned int len)
{
	void *tmp = skb_put(skb, len);
	memcpy(tmp, data, len);
	return tmp;
}
static inline void *skb_put_zero(struct sk_buff *skb, unsigned int len)
{
	void *tmp = skb_put(skb, len);
	memset(tmp, 0, len);
	return tmp;
}
static inline struct sk_buff *skb_get(struct sk_buff *skb)
{
	refcount_inc(&skb->users);
	return skb;
}
static inline void nlmsg_free_skb(struct sk_buff *skb) { kfree_skb(skb); }

#endif
