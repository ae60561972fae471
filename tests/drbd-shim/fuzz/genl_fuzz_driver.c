// SPDX-License-Identifier: GPL-2.0
/* Kernel side of the genetlink fuzzer: the netlink server's view of the
 * hosted DRBD.  fz_rcv() hands arbitrary bytes to umc_genl_rcv() as the
 * netlink socket would, and checks every reply the kernel side sends back
 * is a well-formed netlink message (NLMSG_ERROR with a kernel errno,
 * NLMSG_DONE, or a family message); anything else is a BUG().
 * fz_seed() builds the valid messages of the seed corpus. */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <umc/kernel_private.h>
#include <net/genetlink.h>
#include <linux/drbd.h>
#include <linux/drbd_genl_api.h>
#include "genl_fuzz_driver.h"

static int replies;

static int check_reply(void *ctx, unsigned int portid, const void *msg, unsigned long len)
{
	const struct nlmsghdr *nlh = msg;
	int rem = (int)len;

	if (len < NLMSG_HDRLEN || len > (1u << 20))
		BUG();
	if (!nlmsg_ok(nlh, rem))
		BUG();
	nlmsg_for_each_msg(nlh, (const struct nlmsghdr *)msg, (int)len, rem)
	{
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = nlmsg_data(nlh);

			if (nlmsg_len(nlh) < (int)sizeof(*e) || e->error > 0 || e->error < -4095)
				BUG();
		} else if (nlh->nlmsg_type != NLMSG_DONE && nlmsg_len(nlh) < GENL_HDRLEN) {
			BUG();
		}
	}
	if (rem != 0)
		BUG();
	/* Like drbdsetup, the reader stops (closes its socket) at some point:
	 * after 64 messages for one input. */
	return ++replies > 64 ? -ECONNRESET : 0;
}

static int drop_broadcast(void *ctx, unsigned int group, const void *msg, unsigned long len)
{
	return check_reply(ctx, 0, msg, len);
}

static const struct umc_genl_transport fz_transport = {
	.unicast = check_reply,
	.broadcast = drop_broadcast,
};

/* A bug of the hosted DRBD 8.4 (the kernel's too, not the emulation's):
 * drbd_adm_dump_{devices,connections,peer_devices} call find_cfg_context_attr()
 * and use its result without IS_ERR(); a context attribute holding a
 * DRBD_GENLA_F_MANDATORY-flagged type above the context policy's maxtype
 * makes drbd_nla_find_nested() return ERR_PTR(-EOPNOTSUPP), which
 * drbd_find_resource() then dereferences.  Hosted code is never edited,
 * so such requests are not fed (reproducer:
 * KAAAABMA/////wAAAgAMAB8AAP/+AAAAAAAAAAwAAoAHACFAmPsBhA==), letting the
 * fuzzer explore everything else. */
static bool hits_known_hosted_bug(const struct nlmsghdr *nlh)
{
	const unsigned int hdrlen = GENL_HDRLEN + sizeof(struct drbd_genlmsghdr);
	const struct genlmsghdr *g = nlmsg_data(nlh);
	const struct nlattr *ctx, *a;
	int rem;

	if (nlh->nlmsg_type < GENL_START_ALLOC || (nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + hdrlen)
		return false;
	if (g->cmd != DRBD_ADM_GET_DEVICES && g->cmd != DRBD_ADM_GET_CONNECTIONS && g->cmd != DRBD_ADM_GET_PEER_DEVICES)
		return false;
	ctx = nla_find(nlmsg_attrdata(nlh, hdrlen), nlmsg_attrlen(nlh, hdrlen), DRBD_NLA_CFG_CONTEXT);
	if (!ctx)
		return false;
	nla_for_each_attr(a, nla_data(ctx), nla_len(ctx), rem)
		/* maxtype of drbd_cfg_context: 4 (ctx_peer_addr) */
		if ((a->nla_type & DRBD_GENLA_F_MANDATORY) && (a->nla_type & NLA_TYPE_MASK) > 4) return true;
	return false;
}

int fz_rcv(const void *data, unsigned long len)
{
	const struct nlmsghdr *nlh;
	int n, rem;

	nlmsg_for_each_msg(nlh, (const struct nlmsghdr *)data, (int)len, rem) if (hits_known_hosted_bug(nlh)) return 0;

	replies = 0;
	umc_genl_set_transport(&fz_transport);
	n = umc_genl_rcv(4242, data, len);
	umc_genl_set_transport(NULL);
	return n;
}

/* The family id the seeds address: DRBD is the first family registered. */
static int drbd_family_id = GENL_START_ALLOC;

static unsigned long put_out(struct sk_buff *skb, void *buf, unsigned long cap)
{
	unsigned long n = min_t(unsigned long, skb->len, cap);

	memcpy(buf, skb->data, n);
	kfree_skb(skb);
	return n;
}

unsigned long fz_seed(int which, void *buf, unsigned long cap)
{
	struct sk_buff *skb = alloc_skb(512, GFP_KERNEL);
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct drbd_genlmsghdr *dh;
	struct nlattr *ctx;

	if (!skb)
		return 0;
	switch (which) {
	case 0: /* nlctrl GETFAMILY "drbd" (drbdsetup's first message) */
		nlh = __nlmsg_put(skb, 0, 1, GENL_ID_CTRL, GENL_HDRLEN, NLM_F_REQUEST | NLM_F_ACK);
		g = nlmsg_data(nlh);
		g->cmd = CTRL_CMD_GETFAMILY;
		g->version = 2;
		g->reserved = 0;
		nla_put_string(skb, CTRL_ATTR_FAMILY_NAME, "drbd");
		nlmsg_end(skb, nlh);
		return put_out(skb, buf, cap);
	case 1: /* GET_STATUS dump (drbdsetup status / show) */
	case 2: /* NEW_RESOURCE r0 */
		nlh = __nlmsg_put(skb, 0, 2, drbd_family_id, GENL_HDRLEN + sizeof(*dh),
				  NLM_F_REQUEST | (which == 1 ? NLM_F_DUMP : NLM_F_ACK));
		g = nlmsg_data(nlh);
		g->cmd = which == 1 ? DRBD_ADM_GET_STATUS : DRBD_ADM_NEW_RESOURCE;
		g->version = 1;
		g->reserved = 0;
		dh = (struct drbd_genlmsghdr *)((char *)g + GENL_HDRLEN);
		dh->minor = ~0u;
		dh->flags = 0;
		if (which == 2) {
			ctx = nla_nest_start(skb, DRBD_NLA_CFG_CONTEXT);
			nla_put_string(skb, 2 | DRBD_GENLA_F_MANDATORY, "r0");
			nla_nest_end(skb, ctx);
		}
		nlmsg_end(skb, nlh);
		return put_out(skb, buf, cap);
	default:
		kfree_skb(skb);
		return 0;
	}
}
