/* Generic netlink families (kernel side).  The family registry, dispatch of
 * doit/dumpit and the "events" multicast live in the genetlink core behind
 * genl_register_family(); the message helpers here are the kernel's. */
#ifndef __NET_GENERIC_NETLINK_H
#define __NET_GENERIC_NETLINK_H

#include <linux/genetlink.h>
#include <net/netlink.h>
#include <net/net_namespace.h>

#define GENLMSG_DEFAULT_SIZE (NLMSG_DEFAULT_SIZE - GENL_HDRLEN)

struct genl_multicast_group {
	char name[GENL_NAMSIZ];
	u8 flags;
	u8 cap_sys_admin:1;
};

struct genl_info;

/* One command: doit for requests, dumpit (+ start/done) for NLM_F_DUMP. */
struct genl_ops {
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*start)(struct netlink_callback *cb);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 internal_flags;
	u8 flags;
	u8 validate;
};

struct genl_small_ops {
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	u8 cmd;
	u8 internal_flags;
	u8 flags;
	u8 validate;
};

struct genl_family {
	int id;                 /* assigned at registration (>= GENL_START_ALLOC) */
	unsigned int hdrsize;   /* family header after genlmsghdr */
	char name[GENL_NAMSIZ];
	unsigned int version;
	unsigned int maxattr;
	unsigned int mcgrp_offset; /* first multicast group id (set at registration) */
	u8 netnsok:1;
	u8 parallel_ops:1;
	u8 n_ops;
	u8 n_small_ops;
	u8 n_mcgrps;
	/* Commands from here on get strict validation; DRBD's are all below. */
	u8 resv_start_op;
	const struct nla_policy *policy;
	int (*pre_doit)(const struct genl_ops *ops, struct sk_buff *skb, struct genl_info *info);
	void (*post_doit)(const struct genl_ops *ops, struct sk_buff *skb, struct genl_info *info);
	const struct genl_ops *ops;
	const struct genl_small_ops *small_ops;
	const struct genl_multicast_group *mcgrps;
	struct module *module;
};

/* What a doit handler gets about the request it serves. */
struct genl_info {
	u32 snd_seq;
	u32 snd_portid;
	const struct genl_family *family;
	const struct nlmsghdr *nlhdr;
	struct genlmsghdr *genlhdr;
	void *userhdr;
	struct nlattr **attrs;
	struct net *_net;
	void *user_ptr[2];
	struct netlink_ext_ack *extack;
};

static inline struct net *genl_info_net(const struct genl_info *info) { return info->_net; }

/* The netlink_callback of a generic netlink dump. */
struct genl_dumpit_info {
	const struct genl_family *family;
	struct genl_ops op;
	struct nlattr **attrs;
};

/* ---- the genetlink core (out of line) ---- */
int genl_register_family(struct genl_family *family);
int genl_unregister_family(const struct genl_family *family);
void genl_lock(void);
void genl_unlock(void);
void genl_notify(const struct genl_family *family, struct sk_buff *skb, struct genl_info *info, u32 group,
		 gfp_t flags);
const struct genl_dumpit_info *genl_dumpit_info(struct netlink_callback *cb);

/* ---- messages ---- */

/* Starts a message: nlmsghdr(type = family id) + genlmsghdr(cmd, family
 * version) + room for the family header, whose address is returned (NULL
 * when the skb is full). */
static inline void *genlmsg_put(struct sk_buff *skb, u32 portid, u32 seq, const struct genl_family *family,
				int flags, u8 cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *hdr;

	nlh = nlmsg_put(skb, portid, seq, family->id, GENL_HDRLEN + family->hdrsize, flags);
	if (nlh == NULL)
		return NULL;
	hdr = nlmsg_data(nlh);
	hdr->cmd = cmd;
	hdr->version = family->version;
	hdr->reserved = 0;
	return (char *)hdr + GENL_HDRLEN;
}
static inline void *genlmsg_put_reply(struct sk_buff *skb, struct genl_info *info,
				      const struct genl_family *family, int flags, u8 cmd)
{
	return genlmsg_put(skb, info->snd_portid, info->snd_seq, family, flags, cmd);
}
static inline void genlmsg_end(struct sk_buff *skb, void *hdr)
{
	nlmsg_end(skb, (struct nlmsghdr *)((char *)hdr - GENL_HDRLEN - NLMSG_HDRLEN));
}
static inline void genlmsg_cancel(struct sk_buff *skb, void *hdr)
{
	if (hdr)
		nlmsg_cancel(skb, (struct nlmsghdr *)((char *)hdr - GENL_HDRLEN - NLMSG_HDRLEN));
}
static inline void *genlmsg_data(const struct genlmsghdr *gnlh) { return ((unsigned char *)gnlh + GENL_HDRLEN); }
static inline int genlmsg_len(const struct genlmsghdr *gnlh)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((unsigned char *)gnlh - NLMSG_HDRLEN);
	return (nlh->nlmsg_len - GENL_HDRLEN - NLMSG_HDRLEN);
}
static inline int genlmsg_msg_size(int payload) { return GENL_HDRLEN + payload; }
static inline int genlmsg_total_size(int payload) { return NLMSG_ALIGN(genlmsg_msg_size(payload)); }
static inline struct sk_buff *genlmsg_new(size_t payload, gfp_t flags)
{
	return nlmsg_new(genlmsg_total_size(payload), flags);
}
static inline int genlmsg_unicast(struct net *net, struct sk_buff *skb, u32 portid)
{
	return nlmsg_unicast(NULL, skb, portid);
}
static inline int genlmsg_reply(struct sk_buff *skb, struct genl_info *info)
{
	return genlmsg_unicast(genl_info_net(info), skb, info->snd_portid);
}
/* Sends to group @group (an index into family->mcgrps); -ESRCH when nobody
 * listens, as the kernel reports it. */
static inline int genlmsg_multicast_netns(const struct genl_family *family, struct net *net,
					  struct sk_buff *skb, u32 portid, unsigned int group, gfp_t flags)
{
	if (WARN_ON_ONCE(group >= family->n_mcgrps))
		return -EINVAL;
	group = family->mcgrp_offset + group;
	NETLINK_CB(skb).dst_group = group;
	return netlink_broadcast(NULL, skb, portid, group, flags);
}
static inline int genlmsg_multicast(const struct genl_family *family, struct sk_buff *skb, u32 portid,
				    unsigned int group, gfp_t flags)
{
	return genlmsg_multicast_netns(family, &init_net, skb, portid, group, flags);
}

#endif
