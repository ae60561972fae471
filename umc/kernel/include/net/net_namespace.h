/* One network namespace: the host's (the process's). */
#ifndef __NET_NET_NAMESPACE_H
#define __NET_NET_NAMESPACE_H
struct net {
	int ifindex;
};
extern struct net init_net;
#endif
