/* Kernel sockets over the runtime's host sockets (umc/socket.h);
 * umc/kernel/net/socket.c fills proto_ops and translates the sock fields
 * DRBD writes (timeouts in jiffies, buffer sizes) into host options. */
#ifndef _LINUX_NET_H
#define _LINUX_NET_H
#include <linux/types.h>
#include <linux/socket.h>
#include <linux/wait.h>
#include <linux/fs.h>
#include <linux/random.h>

struct sock;
struct page;
struct net;

enum sock_type {
	SOCK_STREAM = 1,
	SOCK_DGRAM = 2,
	SOCK_RAW = 3,
	SOCK_SEQPACKET = 5,
};
enum sock_shutdown_cmd {
	SHUT_RD,
	SHUT_WR,
	SHUT_RDWR,
};
typedef enum {
	SS_FREE = 0,
	SS_UNCONNECTED,
	SS_CONNECTING,
	SS_CONNECTED,
	SS_DISCONNECTING
} socket_state;

#define SOCK_NOSPACE 2
#define SOCK_PASSCRED 3
#define SOCK_CUSTOM_SOCKOPT 6

struct proto_ops;
struct socket {
	socket_state state;
	short type;
	unsigned long flags;
	struct file *file;
	struct sock *sk;
	const struct proto_ops *ops;
};

struct proto_ops {
	int family;
	struct module *owner;
	int (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, struct sockaddr *myaddr, int sockaddr_len);
	int (*connect)(struct socket *sock, struct sockaddr *vaddr, int sockaddr_len, int flags);
	int (*accept)(struct socket *sock, struct socket *newsock, int flags, bool kern);
	int (*getname)(struct socket *sock, struct sockaddr *addr, int peer);
	int (*listen)(struct socket *sock, int len);
	int (*shutdown)(struct socket *sock, int flags);
	int (*sendmsg)(struct socket *sock, struct msghdr *m, size_t total_len);
	int (*recvmsg)(struct socket *sock, struct msghdr *m, size_t total_len, int flags);
	ssize_t (*sendpage)(struct socket *sock, struct page *page, int offset, size_t size, int flags);
};

int sock_create_kern(struct net *net, int family, int type, int proto, struct socket **res);
void sock_release(struct socket *sock);
int sock_sendmsg(struct socket *sock, struct msghdr *msg);
int sock_recvmsg(struct socket *sock, struct msghdr *msg, int flags);
int kernel_sendmsg(struct socket *sock, struct msghdr *msg, struct kvec *vec, size_t num, size_t len);
int kernel_recvmsg(struct socket *sock, struct msghdr *msg, struct kvec *vec, size_t num, size_t len, int flags);
int kernel_accept(struct socket *sock, struct socket **newsock, int flags);
int kernel_sock_shutdown(struct socket *sock, enum sock_shutdown_cmd how);
int kernel_getsockname(struct socket *sock, struct sockaddr *addr);
int kernel_getpeername(struct socket *sock, struct sockaddr *addr);
#endif
