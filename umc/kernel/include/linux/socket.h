#ifndef _LINUX_SOCKET_H
#define _LINUX_SOCKET_H
#include <linux/types.h>
#include <linux/uio.h>

/* Address families and message flags: Linux ABI values. */
#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define AF_NETLINK 16
#define PF_INET AF_INET
#define PF_INET6 AF_INET6

#define MSG_OOB 1
#define MSG_PEEK 2
#define MSG_DONTROUTE 4
#define MSG_CTRUNC 8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000
#define MSG_MORE 0x8000
#define MSG_SENDPAGE_NOTLAST 0x20000

#define SOL_SOCKET 1
#define SOL_TCP 6
#define SO_REUSEADDR 2
#define SO_KEEPALIVE 9
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_PRIORITY 12
#define SO_LINGER 13
#define SO_RCVTIMEO 20
#define SO_SNDTIMEO 21

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

#define _K_SS_MAXSIZE 128
struct __kernel_sockaddr_storage {
	union {
		struct {
			__kernel_sa_family_t ss_family;
			char __data[_K_SS_MAXSIZE - sizeof(unsigned short)];
		};
		void *__align;
	};
};
#define sockaddr_storage __kernel_sockaddr_storage

struct msghdr {
	void *msg_name;
	int msg_namelen;
	int msg_inq;
	struct iov_iter msg_iter;
	void *msg_control;
	size_t msg_controllen;
	unsigned int msg_flags;
	void *msg_iocb;
};
#endif
