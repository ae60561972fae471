/* The kernel-side socket: the fields DRBD reads and writes directly.
 * umc/kernel/net/socket.c reads sk_rcvtimeo/sk_sndtimeo on every call and
 * applies sk_sndbuf/sk_rcvbuf (with SOCK_*BUF_LOCK) before connect/listen;
 * the listen socket's sk_state_change is called, under sk_callback_lock,
 * with a child sock whose sk_state is TCP_ESTABLISHED. */
#ifndef _SOCK_H
#define _SOCK_H
#include <linux/types.h>
#include <linux/list.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/net.h>
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <net/tcp_states.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <net/net_namespace.h>
#include <umc/socket.h>

#define SOCK_SNDBUF_LOCK 1
#define SOCK_RCVBUF_LOCK 2
#define SK_NO_REUSE 0
#define SK_CAN_REUSE 1
#define SK_FORCE_REUSE 2

struct sock_common {
	unsigned short skc_family;
	volatile unsigned char skc_state;
	unsigned char skc_reuse:4;
	unsigned char skc_reuseport:1;
};

struct sock {
	struct sock_common __sk_common;
#define sk_family __sk_common.skc_family
#define sk_state __sk_common.skc_state
#define sk_reuse __sk_common.skc_reuse
	rwlock_t sk_callback_lock;
	int sk_rcvbuf;
	int sk_sndbuf;
	int sk_wmem_queued;
	unsigned int sk_userlocks;
	u32 sk_priority;
	long sk_rcvtimeo;
	long sk_sndtimeo;
	gfp_t sk_allocation;
	bool sk_use_task_frag;
	struct socket *sk_socket;
	void *sk_user_data;
	void (*sk_state_change)(struct sock *sk);
	void (*sk_data_ready)(struct sock *sk);
	void (*sk_write_space)(struct sock *sk);
	void (*sk_error_report)(struct sock *sk);
	struct umc_sock *umc;   /* the host socket */
};

static inline void lock_sock(struct sock *sk) { (void)sk; }
static inline void release_sock(struct sock *sk) { (void)sk; }
static inline void sock_set_reuseaddr(struct sock *sk) { sk->sk_reuse = SK_CAN_REUSE; }
void sock_set_keepalive(struct sock *sk);
void sock_set_priority(struct sock *sk, u32 priority);
static inline int sk_stream_min_wspace(const struct sock *sk) { return sk->sk_wmem_queued >> 1; }
#endif
