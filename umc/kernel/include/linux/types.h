/* Fixed-size and kernel-wide types (LP64, x86-64). */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#include <asm/types.h>
#include <linux/stddef.h>

#define __aligned_u64 __u64 __attribute__((aligned(8)))
#define __aligned_be64 __be64 __attribute__((aligned(8)))
#define __aligned_le64 __le64 __attribute__((aligned(8)))

typedef __u16 __bitwise __le16;
typedef __u16 __bitwise __be16;
typedef __u32 __bitwise __le32;
typedef __u32 __bitwise __be32;
typedef __u64 __bitwise __le64;
typedef __u64 __bitwise __be64;
typedef __u16 __bitwise __sum16;
typedef __u32 __bitwise __wsum;

typedef _Bool bool;

typedef unsigned long size_t;
typedef long ssize_t;
typedef long ptrdiff_t;
/* intN_t/uintN_t/uintptr_t come from the compiler's freestanding <stdint.h>,
 * which the runtime's wall headers also use (uint64_t is unsigned long there;
 * the kernel's own u64 stays unsigned long long). */
#include <stdint.h>

typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef unsigned char unchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long ulong;

typedef __u8 u_int8_t;
typedef __u16 u_int16_t;
typedef __u32 u_int32_t;
typedef __u64 u_int64_t;

typedef unsigned int __kernel_dev_t;
typedef __kernel_dev_t dev_t;
typedef unsigned long ino_t;
typedef unsigned short umode_t;
typedef unsigned int nlink_t;
typedef long long loff_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef long clock_t;
typedef long time_t;
typedef long long time64_t;
typedef int clockid_t;
typedef unsigned int __kernel_uid32_t;
typedef int __kernel_pid_t;
typedef __kernel_uid32_t qid_t;
typedef unsigned short sa_family_t;
typedef unsigned short __kernel_sa_family_t;

typedef u64 sector_t;
typedef u64 blkcnt_t;
typedef u64 dma_addr_t;
typedef u64 phys_addr_t;
typedef phys_addr_t resource_size_t;
typedef unsigned int __bitwise gfp_t;
typedef unsigned int __bitwise slab_flags_t;
typedef unsigned int __bitwise fmode_t;
typedef unsigned long irq_hw_number_t;

typedef struct {
	int counter;
} atomic_t;
#define ATOMIC_INIT(i) { (i) }

typedef struct {
	s64 counter;
} atomic64_t;
#define ATOMIC64_INIT(i) { (i) }
typedef struct {
	long counter;
} atomic_long_t;
#define ATOMIC_LONG_INIT(i) { (i) }

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

/* An RCU callback: queued by call_rcu(), run after a grace period. */
struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
} __attribute__((aligned(sizeof(void *))));
#define rcu_head callback_head
typedef void (*rcu_callback_t)(struct rcu_head *head);

#endif
