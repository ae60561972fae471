// SPDX-License-Identifier: GPL-2.0
/* Test driver for the whole hosted module (call_usermodehelper is the real
 * one, umc/kernel/kernel/umh.c). */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/umh.h>
#include <linux/proc_fs.h>
#include <umc/kernel_private.h>
#include <net/genetlink.h>
#include <linux/blkdev.h>
#include <linux/drbd.h>
#include <linux/drbd_genl_api.h>
#include "module_driver.h"

char *tdrv_mod_proc(const char *name)
{
	long len;
	return umc_proc_render(name, &len);
}

void tdrv_mod_free(void *p)
{
	kvfree(p);
}

static char reply[4096];
static unsigned long reply_len;

static int capture(void *ctx, unsigned int portid, const void *msg, unsigned long len)
{
	reply_len = min(len, sizeof(reply));
	memcpy(reply, msg, reply_len);
	return 0;
}

void tdrv_mod_getfamily(const char *family, struct tdrv_family_info *out)
{
	static const struct umc_genl_transport t = {.unicast = capture};
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	struct nlmsghdr *nlh, *r;
	struct genlmsghdr *g;
	struct nlattr *a, *grp;

	memset(out, 0, sizeof(*out));
	nlh = __nlmsg_put(skb, 0, 5, GENL_ID_CTRL, GENL_HDRLEN, NLM_F_REQUEST);
	g = nlmsg_data(nlh);
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 2;
	nla_put_string(skb, CTRL_ATTR_FAMILY_NAME, family);
	nlmsg_end(skb, nlh);
	reply_len = 0;
	umc_genl_set_transport(&t);
	umc_genl_rcv(1234, skb->data, skb->len);
	umc_genl_set_transport(NULL);
	kfree_skb(skb);

	r = (struct nlmsghdr *)reply;
	if (!reply_len) {
		out->error = -EIO;
		return;
	}
	if (r->nlmsg_type == NLMSG_ERROR) {
		out->error = ((struct nlmsgerr *)nlmsg_data(r))->error;
		return;
	}
#define ATTR(t) nla_find(nlmsg_attrdata(r, GENL_HDRLEN), nlmsg_attrlen(r, GENL_HDRLEN), t)
	if ((a = ATTR(CTRL_ATTR_FAMILY_ID)))
		out->id = nla_get_u16(a);
	if ((a = ATTR(CTRL_ATTR_VERSION)))
		out->version = nla_get_u32(a);
	if ((a = ATTR(CTRL_ATTR_HDRSIZE)))
		out->hdrsize = nla_get_u32(a);
	if ((a = ATTR(CTRL_ATTR_MAXATTR)))
		out->maxattr = nla_get_u32(a);
	if ((a = ATTR(CTRL_ATTR_OPS))) {
		struct nlattr *op;
		int rem;
		nla_for_each_nested(op, a, rem) out->n_ops++;
	}
	if ((a = ATTR(CTRL_ATTR_MCAST_GROUPS)) && (grp = nla_data(a))) {
		struct nlattr *x = nla_find(nla_data(grp), nla_len(grp), CTRL_ATTR_MCAST_GRP_ID);
		struct nlattr *n = nla_find(nla_data(grp), nla_len(grp), CTRL_ATTR_MCAST_GRP_NAME);
		if (x)
			out->mcgrp_id = nla_get_u32(x);
		if (n)
			strscpy(out->mcgrp_name, nla_data(n), sizeof(out->mcgrp_name));
	}
#undef ATTR
}

int tdrv_mod_disk_live(const char *name)
{
	return umc_disk_get(name) != NULL;
}

/* One admin request as drbdsetup-84 sends it, with @add putting the
 * command's own attributes after the context. */
static int adm_send(unsigned int cmd, unsigned int minor, const char *resource, int volume,
		    void (*add)(struct sk_buff *skb, const void *arg), const void *arg)
{
	static const struct umc_genl_transport t = {.unicast = capture};
	struct tdrv_family_info fi;
	struct sk_buff *skb;
	struct nlmsghdr *nlh, *r;
	struct genlmsghdr *g;
	struct drbd_genlmsghdr *dh;
	struct nlattr *ctx;

	tdrv_mod_getfamily("drbd", &fi);
	if (fi.error)
		return fi.error;
	skb = alloc_skb(1024, GFP_KERNEL);
	nlh = __nlmsg_put(skb, 0, 9, fi.id, GENL_HDRLEN + sizeof(*dh), NLM_F_REQUEST);
	g = nlmsg_data(nlh);
	g->cmd = cmd;
	g->version = 1;
	dh = (struct drbd_genlmsghdr *)((char *)g + GENL_HDRLEN);
	dh->minor = minor;
	dh->flags = 0;
	ctx = nla_nest_start(skb, DRBD_NLA_CFG_CONTEXT);
	if (volume >= 0)
		nla_put_u32(skb, 1 | DRBD_GENLA_F_MANDATORY, volume);
	nla_put_string(skb, 2 | DRBD_GENLA_F_MANDATORY, resource);
	nla_nest_end(skb, ctx);
	if (add)
		add(skb, arg);
	nlmsg_end(skb, nlh);

	reply_len = 0;
	umc_genl_set_transport(&t);
	umc_genl_rcv(1234, skb->data, skb->len);
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

int tdrv_mod_adm(unsigned int cmd, unsigned int minor, const char *resource, int volume)
{
	return adm_send(cmd, minor, resource, volume, NULL, NULL);
}

struct attach_args {
	const char *backing, *meta;
	int meta_idx;
};

/* disk_conf (drbd_genl.h): backing_dev 1, meta_dev 2, meta_dev_idx 3. */
static void add_disk_conf(struct sk_buff *skb, const void *arg)
{
	const struct attach_args *a = arg;
	struct nlattr *conf = nla_nest_start(skb, DRBD_NLA_DISK_CONF);

	nla_put_string(skb, 1, a->backing);
	nla_put_string(skb, 2, a->meta);
	nla_put_u32(skb, 3, (u32)a->meta_idx);
	nla_nest_end(skb, conf);
}

int tdrv_mod_attach(unsigned int minor, const char *resource, int volume, const char *backing, const char *meta,
		    int meta_idx)
{
	struct attach_args a = {.backing = backing, .meta = meta, .meta_idx = meta_idx};

	return adm_send(12 /* DRBD_ADM_ATTACH */, minor, resource, volume, add_disk_conf, &a);
}

/* set_role_parms: assume_uptodate 1 (mandatory; genl_magic's __flg_field
 * is a u8). */
static void add_role_parms(struct sk_buff *skb, const void *arg)
{
	struct nlattr *parms = nla_nest_start(skb, DRBD_NLA_SET_ROLE_PARMS);

	if (*(const int *)arg)
		nla_put_u8(skb, 1 | DRBD_GENLA_F_MANDATORY, 1);
	nla_nest_end(skb, parms);
}

int tdrv_mod_primary(unsigned int minor, const char *resource, int force)
{
	return adm_send(14 /* DRBD_ADM_PRIMARY */, minor, resource, -1, add_role_parms, &force);
}

/* resize_parms: resize_force 2 (a u8 flag, mandatory). */
static void add_resize_parms(struct sk_buff *skb, const void *arg)
{
	struct nlattr *parms = nla_nest_start(skb, DRBD_NLA_RESIZE_PARMS);

	if (*(const int *)arg)
		nla_put_u8(skb, 2 | DRBD_GENLA_F_MANDATORY, 1);
	nla_nest_end(skb, parms);
}

int tdrv_mod_resize(unsigned int minor, const char *resource, int assume_peer_has_space)
{
	return adm_send(13 /* DRBD_ADM_RESIZE */, minor, resource, -1, add_resize_parms, &assume_peer_has_space);
}

/* Dump replies come as several unicasts, each possibly holding several
 * messages; walk them all as drbdsetup's nlmsg_for_each_msg does. */
static struct tdrv_dump_result *dump_out;

static int collect_dump(void *ctx, unsigned int portid, const void *msg, unsigned long len)
{
	const struct nlmsghdr *nlh;
	int rem = len;

	for (nlh = msg; nlmsg_ok(nlh, rem); nlh = nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_type == NLMSG_DONE) {
			dump_out->done = 1;
			dump_out->done_error = *(const int *)nlmsg_data(nlh);
		} else if (nlh->nlmsg_type == NLMSG_ERROR) {
			dump_out->error = ((const struct nlmsgerr *)nlmsg_data(nlh))->error;
		} else if (dump_out->n_minors < TDRV_DUMP_MAX) {
			const struct genlmsghdr *g = nlmsg_data(nlh);
			const struct drbd_genlmsghdr *dh = (const void *)((const char *)g + GENL_HDRLEN);
			const struct nlattr *ctx, *name;
			int i = dump_out->n_minors++;

			dump_out->multi &= !!(nlh->nlmsg_flags & NLM_F_MULTI);
			dump_out->cmd = g->cmd;
			dump_out->minors[i] = dh->minor;
			ctx = nla_find(nlmsg_attrdata(nlh, GENL_HDRLEN + sizeof(*dh)),
				       nlmsg_attrlen(nlh, GENL_HDRLEN + sizeof(*dh)), DRBD_NLA_CFG_CONTEXT);
			name = ctx ? nla_find(nla_data(ctx), nla_len(ctx), 2) : NULL;
			if (name)
				strscpy(dump_out->resources[i], nla_data(name), sizeof(dump_out->resources[i]));
		}
	}
	return 0;
}

void tdrv_mod_get_status_dump(struct tdrv_dump_result *out)
{
	static const struct umc_genl_transport t = {.unicast = collect_dump};
	struct tdrv_family_info fi;
	struct sk_buff *skb;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct drbd_genlmsghdr *dh;

	memset(out, 0, sizeof(*out));
	out->multi = 1;
	tdrv_mod_getfamily("drbd", &fi);
	if (fi.error) {
		out->error = fi.error;
		return;
	}
	skb = alloc_skb(256, GFP_KERNEL);
	nlh = __nlmsg_put(skb, 0, 11, fi.id, GENL_HDRLEN + sizeof(*dh), NLM_F_REQUEST | NLM_F_DUMP);
	g = nlmsg_data(nlh);
	g->cmd = 2; /* DRBD_ADM_GET_STATUS */
	g->version = 1;
	dh = (struct drbd_genlmsghdr *)((char *)g + GENL_HDRLEN);
	dh->minor = ~0u;
	dh->flags = 0;
	nlmsg_end(skb, nlh);

	dump_out = out;
	umc_genl_set_transport(&t);
	umc_genl_rcv(1234, skb->data, skb->len);
	umc_genl_set_transport(NULL);
	dump_out = NULL;
	kfree_skb(skb);
}
