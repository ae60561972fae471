#ifndef _LINUX_POISON_H
#define _LINUX_POISON_H
/* Written into unlinked list nodes: addresses in the never-mapped first page,
 * so any use of a deleted entry faults immediately. */
#define LIST_POISON1 ((void *)0x100)
#define LIST_POISON2 ((void *)0x122)
#define POISON_FREE 0x6b
#define POISON_INUSE 0x5a
#endif
