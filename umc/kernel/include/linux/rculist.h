/* RCU-safe list mutation and traversal.  Writers serialise among
 * themselves (caller's lock); readers run under rcu_read_lock() and may see
 * an entry being added or removed concurrently but never a torn list.  A
 * removed entry stays walkable (its ->next is kept) until a grace period
 * passes, which is why list_del_rcu poisons only ->prev. */
#ifndef _LINUX_RCULIST_H
#define _LINUX_RCULIST_H

#include <linux/list.h>
#include <linux/rcupdate.h>

#define list_next_rcu(list) (*((struct list_head __rcu **)(&(list)->next)))

static inline void INIT_LIST_HEAD_RCU(struct list_head *list)
{
	WRITE_ONCE(list->next, list);
	WRITE_ONCE(list->prev, list);
}
static inline void __list_add_rcu(struct list_head *new, struct list_head *prev, struct list_head *next)
{
	new->next = next;
	new->prev = prev;
	rcu_assign_pointer(list_next_rcu(prev), new);
	next->prev = new;
}
static inline void list_add_rcu(struct list_head *new, struct list_head *head) { __list_add_rcu(new, head, head->next); }
static inline void list_add_tail_rcu(struct list_head *new, struct list_head *head) { __list_add_rcu(new, head->prev, head); }
static inline void list_del_rcu(struct list_head *entry)
{
	__list_del_entry(entry);
	entry->prev = LIST_POISON2;
}
static inline void list_replace_rcu(struct list_head *old, struct list_head *new)
{
	new->next = old->next;
	new->prev = old->prev;
	rcu_assign_pointer(list_next_rcu(new->prev), new);
	new->next->prev = new;
	old->prev = LIST_POISON2;
}
static inline void hlist_del_init_rcu(struct hlist_node *n)
{
	if (!hlist_unhashed(n)) {
		__hlist_del(n);
		WRITE_ONCE(n->pprev, NULL);
	}
}
static inline void hlist_del_rcu(struct hlist_node *n)
{
	__hlist_del(n);
	WRITE_ONCE(n->pprev, LIST_POISON2);
}
static inline void hlist_add_head_rcu(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *first = h->first;
	n->next = first;
	WRITE_ONCE(n->pprev, &h->first);
	rcu_assign_pointer(*(struct hlist_node __rcu **)&h->first, n);
	if (first)
		WRITE_ONCE(first->pprev, &n->next);
}

/* @ptr is the lvalue of a list link (e.g. head->next), read with consume ordering. */
#define list_entry_rcu(ptr, type, member) container_of(rcu_dereference_raw(ptr), type, member)
#define list_first_or_null_rcu(ptr, type, member) ({                        \
	struct list_head *__ptr = (ptr);                                    \
	struct list_head *__next = rcu_dereference_raw(__ptr->next);        \
	likely(__ptr != __next) ? container_of(__next, type, member) : NULL; })
#define list_next_or_null_rcu(head, ptr, type, member) ({                   \
	struct list_head *__head = (head);                                  \
	struct list_head *__ptr = (ptr);                                    \
	struct list_head *__next = rcu_dereference_raw(__ptr->next);        \
	likely(__next != __head) ? container_of(__next, type, member) : NULL; })
#define list_for_each_entry_rcu(pos, head, member, cond...)                 \
	for (pos = list_entry_rcu((head)->next, typeof(*pos), member); \
	     &pos->member != (head);                                          \
	     pos = list_entry_rcu(pos->member.next, typeof(*pos), member))
#define list_for_each_entry_continue_rcu(pos, head, member)                 \
	for (pos = list_entry_rcu(pos->member.next, typeof(*pos), member); \
	     &pos->member != (head);                                          \
	     pos = list_entry_rcu(pos->member.next, typeof(*pos), member))
#define list_for_each_entry_from_rcu(pos, head, member)                     \
	for (; &(pos)->member != (head);                                      \
	     pos = list_entry_rcu(pos->member.next, typeof(*(pos)), member))
#define hlist_first_rcu(head) (*((struct hlist_node __rcu **)(&(head)->first)))
#define hlist_next_rcu(node) (*((struct hlist_node __rcu **)(&(node)->next)))
#define hlist_for_each_entry_rcu(pos, head, member, cond...)                \
	for (pos = hlist_entry_safe(rcu_dereference_raw(hlist_first_rcu(head)), typeof(*(pos)), member); \
	     pos;                                                             \
	     pos = hlist_entry_safe(rcu_dereference_raw(hlist_next_rcu(&(pos)->member)), typeof(*(pos)), member))

#endif
