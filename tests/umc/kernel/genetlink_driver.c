// SPDX-License-Identifier: GPL-2.0
/* See genetlink_driver.h. */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <net/genetlink.h>
#include <umc/kernel_host.h>
#include <umc/kernel_private.h>
#include "genetlink_driver.h"

enum { KSD_A_UNSPEC, KSD_A_VALUE, KSD_A_NAME, __KSD_A_MAX };
enum { KSD_CMD_UNSPEC, KSD_CMD_ECHO, KSD_CMD_LIST, KSD_CMD_EVENT };

static const struct nla_policy ksd_policy[__KSD_A_MAX] = {
	[KSD_A_VALUE] = {.type = NLA_U32},
	[KSD_A_NAME] = {.type = NLA_NUL_STRING, .len = 15},
};
static struct genl_family ksd_family;

static int ksd_echo(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	u32 *hdr = genlmsg_put_reply(reply, info, &ksd_family, 0, KSD_CMD_ECHO);

	if (!info->attrs[KSD_A_VALUE])
		return -EINVAL;
	*hdr = *(u32 *)info->userhdr + 1; /* family header: echo it back + 1 */
	nla_put_u32(reply, KSD_A_VALUE, nla_get_u32(info->attrs[KSD_A_VALUE]) * 2);
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

/* Three entries, at most two per skb: the core must call us again. */
static int ksd_list(struct sk_buff *skb, struct netlink_callback *cb)
{
	int n = 0;

	while (cb->args[0] < 3 && n < 2) {
		u32 *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq, &ksd_family, NLM_F_MULTI,
				       KSD_CMD_LIST);
		*hdr = 0;
		nla_put_u32(skb, KSD_A_VALUE, (u32)cb->args[0]);
		genlmsg_end(skb, hdr);
		cb->args[0]++;
		n++;
	}
	return skb->len;
}

static const struct genl_ops ksd_ops[] = {
	{.cmd = KSD_CMD_ECHO, .doit = ksd_echo, .flags = GENL_ADMIN_PERM},
	{.cmd = KSD_CMD_LIST, .dumpit = ksd_list},
};
static const struct genl_multicast_group ksd_groups[] = {{.name = "events"}};
static struct genl_family ksd_family = {
	.name = "ksdtest",
	.version = 3,
	.hdrsize = 4,
	.maxattr = __KSD_A_MAX - 1,
	.policy = ksd_policy,
	.ops = ksd_ops,
	.n_ops = ARRAY_SIZE(ksd_ops),
	.mcgrps = ksd_groups,
	.n_mcgrps = 1,
	.resv_start_op = 42,
};

#define CAPTURE 8
static struct {
	int n;
	unsigned int portid[CAPTURE];
	unsigned int group[CAPTURE];
	char msg[CAPTURE][512];
	unsigned long len[CAPTURE];
	int listeners;
} cap;

static int cap_unicast(void *ctx, unsigned int portid, const void *msg, unsigned long len)
{
	if (cap.n < CAPTURE) {
		cap.portid[cap.n] = portid;
		cap.group[cap.n] = 0;
		cap.len[cap.n] = min(len, 512UL);
		memcpy(cap.msg[cap.n], msg, cap.len[cap.n]);
	}
	cap.n++;
	return 0;
}

static int cap_broadcast(void *ctx, unsigned int group, const void *msg, unsigned long len)
{
	if (!cap.listeners)
		return -ESRCH;
	cap_unicast(ctx, 0, msg, len);
	cap.group[cap.n - 1] = group;
	return 0;
}

/* Builds a request: nlmsghdr + genlmsghdr + family header + attrs. */
static int request(char *buf, u16 type, u16 flags, u8 cmd, u32 famhdr, int hdrsize, int value, const char *name)
{
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	struct nlmsghdr *nlh = __nlmsg_put(skb, 0, 77, type, GENL_HDRLEN + hdrsize, NLM_F_REQUEST | flags);
	struct genlmsghdr *g = nlmsg_data(nlh);
	int len;

	g->cmd = cmd;
	g->version = 1;
	if (hdrsize)
		memcpy((char *)g + GENL_HDRLEN, &famhdr, 4);
	if (value >= 0)
		nla_put_u32(skb, KSD_A_VALUE, value);
	if (name)
		nla_put_string(skb, type == GENL_ID_CTRL ? CTRL_ATTR_FAMILY_NAME : KSD_A_NAME, name);
	nlmsg_end(skb, nlh);
	len = skb->len;
	memcpy(buf, skb->data, len);
	kfree_skb(skb);
	return len;
}

static struct nlattr *reply_attr(int i, int hdrsize, int type)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)cap.msg[i];

	return nla_find(nlmsg_attrdata(nlh, GENL_HDRLEN + hdrsize), nlmsg_attrlen(nlh, GENL_HDRLEN + hdrsize), type);
}

static int nlerr(int i)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)cap.msg[i];
	return nlh->nlmsg_type == NLMSG_ERROR ? ((struct nlmsgerr *)nlmsg_data(nlh))->error : 1;
}

int ksd_genl_family(void)
{
	static const struct umc_genl_transport t = {.unicast = cap_unicast, .broadcast = cap_broadcast};
	char buf[256];
	struct nlattr *a, *grp, *g;
	struct sk_buff *ev;
	int len, step = 0, rem;
	u32 *hdr;

	memset(&cap, 0, sizeof(cap));
	umc_genl_set_transport(&t);
	step++;
	if (genl_register_family(&ksd_family) || ksd_family.id < GENL_START_ALLOC)
		goto out;
	step++;
	if (genl_register_family(&ksd_family) != -EEXIST)
		goto out;

	/* GETFAMILY "ksdtest" -> NEWFAMILY with id, version, hdrsize, groups */
	len = request(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 0, 0, -1, "ksdtest");
	umc_genl_rcv(99, buf, len);
	step++;
	if (cap.n != 1 || cap.portid[0] != 99 || ((struct nlmsghdr *)cap.msg[0])->nlmsg_seq != 77)
		goto out;
	a = reply_attr(0, 0, CTRL_ATTR_FAMILY_ID);
	step++;
	if (!a || nla_get_u16(a) != ksd_family.id)
		goto out;
	a = reply_attr(0, 0, CTRL_ATTR_VERSION);
	step++;
	if (!a || nla_get_u32(a) != 3)
		goto out;
	a = reply_attr(0, 0, CTRL_ATTR_HDRSIZE);
	step++;
	if (!a || nla_get_u32(a) != 4)
		goto out;
	a = reply_attr(0, 0, CTRL_ATTR_MCAST_GROUPS);
	step++;
	if (!a)
		goto out;
	grp = nla_data(a);
	g = nla_find(nla_data(grp), nla_len(grp), CTRL_ATTR_MCAST_GRP_NAME);
	step++;
	if (!g || strcmp(nla_data(g), "events"))
		goto out;
	g = nla_find(nla_data(grp), nla_len(grp), CTRL_ATTR_MCAST_GRP_ID);
	step++;
	if (!g || nla_get_u32(g) != ksd_family.mcgrp_offset || ksd_family.mcgrp_offset < 2)
		goto out;
	(void)rem;

	/* Unknown family name -> NLMSG_ERROR -ENOENT */
	cap.n = 0;
	len = request(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 0, 0, -1, "nosuch");
	umc_genl_rcv(99, buf, len);
	step++;
	if (cap.n != 1 || nlerr(0) != -ENOENT)
		goto out;

	/* doit: the attribute doubled, the family header + 1 */
	cap.n = 0;
	len = request(buf, ksd_family.id, 0, KSD_CMD_ECHO, 41, 4, 21, NULL);
	umc_genl_rcv(99, buf, len);
	step++;
	if (cap.n != 1 || nlerr(0) != 1)
		goto out;
	a = reply_attr(0, 4, KSD_A_VALUE);
	hdr = (u32 *)((char *)nlmsg_data((struct nlmsghdr *)cap.msg[0]) + GENL_HDRLEN);
	step++;
	if (!a || nla_get_u32(a) != 42 || *hdr != 42)
		goto out;

	/* A policy violation never reaches doit: -EINVAL (name too long) */
	cap.n = 0;
	len = request(buf, ksd_family.id, 0, KSD_CMD_ECHO, 0, 4, 1, "much-too-long-name");
	umc_genl_rcv(99, buf, len);
	step++;
	if (cap.n != 1 || nlerr(0) != -EINVAL)
		goto out;

	/* unknown command, and no CAP_NET_ADMIN for an admin command */
	cap.n = 0;
	len = request(buf, ksd_family.id, 0, 9, 0, 4, -1, NULL);
	umc_genl_rcv(99, buf, len);
	step++;
	if (cap.n != 1 || nlerr(0) != -EOPNOTSUPP)
		goto out;
	cap.n = 0;
	umc_task_set_caps(current->umc, 0);
	len = request(buf, ksd_family.id, 0, KSD_CMD_ECHO, 0, 4, 1, NULL);
	umc_genl_rcv(99, buf, len);
	umc_task_set_caps(current->umc, ~0ULL);
	step++;
	if (cap.n != 1 || nlerr(0) != -EPERM)
		goto out;

	/* dump: 3 entries in 2 datagrams, then NLMSG_DONE(0) */
	cap.n = 0;
	len = request(buf, ksd_family.id, NLM_F_DUMP, KSD_CMD_LIST, 0, 4, -1, NULL);
	umc_genl_rcv(99, buf, len);
	step++;
	if (cap.n != 3)
		goto out;
	step++;
	if (((struct nlmsghdr *)cap.msg[2])->nlmsg_type != NLMSG_DONE ||
	    *(int *)nlmsg_data((struct nlmsghdr *)cap.msg[2]) != 0)
		goto out;
	step++;
	if (!(((struct nlmsghdr *)cap.msg[0])->nlmsg_flags & NLM_F_MULTI))
		goto out;

	/* multicast: -ESRCH without listeners, else to the family's group */
	cap.n = 0;
	ev = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	hdr = genlmsg_put(ev, 0, 1, &ksd_family, 0, KSD_CMD_EVENT);
	genlmsg_end(ev, hdr);
	step++;
	if (genlmsg_multicast(&ksd_family, ev, 0, 0, GFP_NOWAIT) != -ESRCH)
		goto out;
	cap.listeners = 1;
	ev = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	hdr = genlmsg_put(ev, 0, 1, &ksd_family, 0, KSD_CMD_EVENT);
	genlmsg_end(ev, hdr);
	step++;
	if (genlmsg_multicast(&ksd_family, ev, 0, 0, GFP_NOWAIT) != 0 || cap.n != 1 ||
	    cap.group[0] != ksd_family.mcgrp_offset)
		goto out;
	step = 0;
out:
	genl_unregister_family(&ksd_family);
	umc_genl_set_transport(NULL);
	return step;
}
