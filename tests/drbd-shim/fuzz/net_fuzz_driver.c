// SPDX-License-Identifier: GPL-2.0
/* Kernel side of the DRBD wire fuzzer: configures the hosted DRBD through
 * its genetlink family as drbdsetup-84 would (new-resource, new-minor,
 * attach, connect with a net_conf) and reads /proc/drbd.  The peer itself
 * is played by the host side (net_fuzz_main.cpp) over real loopback TCP. */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/in.h>
#include <umc/kernel_private.h>
#include <linux/proc_fs.h>
#include <net/genetlink.h>
#include <linux/drbd.h>
#include <linux/drbd_genl_api.h>
#include "net_fuzz_driver.h"

static char reply[4096];
static unsigned long reply_len;

static int capture(void *ctx, unsigned int portid, const void *msg, unsigned long len)
{
	if (!reply_len) {
		reply_len = min(len, sizeof(reply));
		memcpy(reply, msg, reply_len);
	}
	return 0;
}

static int drop(void *ctx, unsigned int group, const void *msg, unsigned long len)
{
	return 0;
}

static const struct umc_genl_transport nf_transport = {.unicast = capture, .broadcast = drop};

/* DRBD is the first family registered. */
#define NF_FAMILY GENL_START_ALLOC

static void put_addr(struct sk_buff *skb, int type, unsigned short port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(0x7f000001);
	nla_put(skb, type | DRBD_GENLA_F_MANDATORY, sizeof(sin), &sin);
}

struct nf_args {
	unsigned short my_port, peer_port;
	const char *backing;
};

/* One request as drbdsetup-84 sends it; returns DRBD's ret_code or -errno. */
static int nf_adm(unsigned int cmd, unsigned int minor, int volume, const struct nf_args *a)
{
	struct sk_buff *skb = alloc_skb(2048, GFP_KERNEL);
	struct nlmsghdr *nlh, *r;
	struct genlmsghdr *g;
	struct drbd_genlmsghdr *dh;
	struct nlattr *nest;

	if (!skb)
		return -ENOMEM;
	nlh = __nlmsg_put(skb, 0, 9, NF_FAMILY, GENL_HDRLEN + sizeof(*dh), NLM_F_REQUEST);
	g = nlmsg_data(nlh);
	g->cmd = cmd;
	g->version = 1;
	g->reserved = 0;
	dh = (struct drbd_genlmsghdr *)((char *)g + GENL_HDRLEN);
	dh->minor = minor;
	dh->flags = 0;
	nest = nla_nest_start(skb, DRBD_NLA_CFG_CONTEXT);
	if (volume >= 0)
		nla_put_u32(skb, 1 | DRBD_GENLA_F_MANDATORY, volume);
	nla_put_string(skb, 2 | DRBD_GENLA_F_MANDATORY, "fz");
	if (cmd == DRBD_ADM_CONNECT || cmd == DRBD_ADM_DISCONNECT) {
		put_addr(skb, 3, a->my_port);
		put_addr(skb, 4, a->peer_port);
	}
	nla_nest_end(skb, nest);
	if (cmd == DRBD_ADM_ATTACH) {
		nest = nla_nest_start(skb, DRBD_NLA_DISK_CONF);
		nla_put_string(skb, 1, a->backing);
		nla_put_string(skb, 2, a->backing);
		nla_put_u32(skb, 3, (u32)DRBD_MD_INDEX_INTERNAL);
		nla_nest_end(skb, nest);
	} else if (cmd == DRBD_ADM_CONNECT) {
		/* Short timers: a broken connection is given up on and a new one
		 * tried at once (sock-check-timeo 0 = ping-timeo, 0.1 s). */
		nest = nla_nest_start(skb, DRBD_NLA_NET_CONF);
		nla_put_u32(skb, 6 | DRBD_GENLA_F_MANDATORY, DRBD_PROT_C);
		nla_put_u32(skb, 7 | DRBD_GENLA_F_MANDATORY, 1);  /* connect-int 1 s */
		nla_put_u32(skb, 8 | DRBD_GENLA_F_MANDATORY, 10); /* timeout 1 s */
		nla_put_u32(skb, 9 | DRBD_GENLA_F_MANDATORY, 1);  /* ping-int 1 s */
		nla_put_u32(skb, 10 | DRBD_GENLA_F_MANDATORY, 1); /* ping-timeout 0.1 s */
		nla_put_u32(skb, 13 | DRBD_GENLA_F_MANDATORY, 2); /* ko-count */
		nla_nest_end(skb, nest);
	}
	nlmsg_end(skb, nlh);

	reply_len = 0;
	umc_genl_set_transport(&nf_transport);
	umc_genl_rcv(4343, skb->data, skb->len);
	umc_genl_set_transport(NULL);
	kfree_skb(skb);
	if (!reply_len)
		return -EIO;
	r = (struct nlmsghdr *)reply;
	if (r->nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)nlmsg_data(r))->error;
	dh = (struct drbd_genlmsghdr *)((char *)nlmsg_data(r) + GENL_HDRLEN);
	return dh->ret_code;
}

static struct nf_args args;

int nf_setup(unsigned short my_port, unsigned short peer_port, const char *backing)
{
	int rc;

	args.my_port = my_port;
	args.peer_port = peer_port;
	args.backing = kstrdup(backing, GFP_KERNEL);
	rc = nf_adm(DRBD_ADM_NEW_RESOURCE, ~0u, -1, &args);
	if (rc != NO_ERROR)
		return rc;
	rc = nf_adm(DRBD_ADM_NEW_MINOR, 0, 0, &args);
	if (rc != NO_ERROR)
		return rc;
	rc = nf_adm(DRBD_ADM_ATTACH, 0, 0, &args);
	if (rc != NO_ERROR)
		return rc;
	return nf_connect();
}

int nf_connect(void)
{
	return nf_adm(DRBD_ADM_CONNECT, 0, -1, &args);
}

int nf_proc_contains(const char *text)
{
	long len;
	char *p = umc_proc_render("drbd", &len);
	int found;

	if (!p)
		return -1;
	found = strstr(p, text) != NULL;
	kvfree(p);
	return found;
}

int nf_proc_copy(char *buf, unsigned long cap)
{
	long len;
	char *p = umc_proc_render("drbd", &len);

	if (!p)
		return -1;
	strscpy(buf, p, cap);
	kvfree(p);
	return 0;
}
