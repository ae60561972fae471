// SPDX-License-Identifier: GPL-2.0
/* The generic netlink core: family registry (ids, multicast group ids),
 * the global genl mutex, request dispatch (doit with policy-checked
 * attributes, dumps, the nlctrl GETFAMILY query) and delivery through a
 * transport the host program registers (umc_genl_set_transport): the
 * netlink server that talks to drbdsetup owns the sockets, the kernel side
 * owns the protocol. */
#include <net/genetlink.h>
#include <linux/capability.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <umc/kernel_private.h>
#include <umc/genl_request_guard.h>

#define MAX_FAMILIES             16
/* Most dumpit calls per dump request (each fills up to NLMSG_GOODSIZE). */
#define UMC_GENL_DUMP_MAX_ROUNDS 65536

static DEFINE_MUTEX(genl_mutex);     /* serialises doit/dumpit (the kernel's genl_lock) */
static DEFINE_MUTEX(registry_mutex); /* families[], group ids */
static struct genl_family *families[MAX_FAMILIES];
static unsigned int next_group = 2; /* 0: none, 1: nlctrl "notify"; 16-18 reserved */
static struct umc_genl_transport transport;
static DEFINE_SPINLOCK(transport_lock);

void genl_lock(void)
{
	mutex_lock(&genl_mutex);
}
void genl_unlock(void)
{
	mutex_unlock(&genl_mutex);
}

void umc_genl_set_transport(const struct umc_genl_transport *t)
{
	spin_lock(&transport_lock);
	if (t)
		transport = *t;
	else
		memset(&transport, 0, sizeof(transport));
	spin_unlock(&transport_lock);
}

static unsigned int alloc_groups(unsigned int n)
{
	unsigned int first;

	if (!n)
		return 0;
	for (;;) {
		first = next_group;
		if (first <= 18 && first + n > 16) {
			next_group = 19; /* skip the reserved 16..18 */
			continue;
		}
		next_group += n;
		return first;
	}
}

int genl_register_family(struct genl_family *family)
{
	int i, slot = -1;

	mutex_lock(&registry_mutex);
	for (i = 0; i < MAX_FAMILIES; i++) {
		if (families[i] && !strcmp(families[i]->name, family->name)) {
			mutex_unlock(&registry_mutex);
			return -EEXIST;
		}
		if (!families[i] && slot < 0)
			slot = i;
	}
	if (slot < 0) {
		mutex_unlock(&registry_mutex);
		return -ENOSPC;
	}
	family->id = GENL_START_ALLOC + slot;
	family->mcgrp_offset = alloc_groups(family->n_mcgrps);
	families[slot] = family;
	mutex_unlock(&registry_mutex);
	return 0;
}

int genl_unregister_family(const struct genl_family *family)
{
	int i, ret = -ENOENT;

	mutex_lock(&registry_mutex);
	for (i = 0; i < MAX_FAMILIES; i++)
		if (families[i] == family) {
			families[i] = NULL;
			ret = 0;
		}
	mutex_unlock(&registry_mutex);
	return ret;
}

static struct genl_family *family_by(int id, const char *name)
{
	struct genl_family *f = NULL;
	int i;

	mutex_lock(&registry_mutex);
	for (i = 0; i < MAX_FAMILIES; i++)
		if (families[i] && (name ? !strcmp(families[i]->name, name) : families[i]->id == id))
			f = families[i];
	mutex_unlock(&registry_mutex);
	return f;
}

/* ---- delivery ---- */

int netlink_unicast(struct sock *ssk, struct sk_buff *skb, __u32 portid, int nonblock)
{
	struct umc_genl_transport t;
	int ret;

	spin_lock(&transport_lock);
	t = transport;
	spin_unlock(&transport_lock);
	ret = t.unicast ? t.unicast(t.ctx, portid, skb->data, skb->len) : -ECONNREFUSED;
	if (ret >= 0)
		ret = skb->len;
	kfree_skb(skb);
	return ret;
}

/* -ESRCH when nobody listens to @group (DRBD ignores that). */
int netlink_broadcast(struct sock *ssk, struct sk_buff *skb, __u32 portid, __u32 group, gfp_t allocation)
{
	struct umc_genl_transport t;
	int ret;

	spin_lock(&transport_lock);
	t = transport;
	spin_unlock(&transport_lock);
	ret = t.broadcast ? t.broadcast(t.ctx, group, skb->data, skb->len) : -ESRCH;
	kfree_skb(skb);
	return ret;
}

static void send_error(u32 portid, const struct nlmsghdr *req, int error)
{
	struct sk_buff *skb = nlmsg_new(sizeof(struct nlmsgerr), GFP_KERNEL);
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	if (!skb)
		return;
	nlh = __nlmsg_put(skb, portid, req->nlmsg_seq, NLMSG_ERROR, sizeof(*e), 0);
	e = nlmsg_data(nlh);
	e->error = error;
	e->msg = *req;
	netlink_unicast(NULL, skb, portid, 1);
}

/* ---- nlctrl: CTRL_CMD_GETFAMILY by name ---- */

static const struct genl_family ctrl_family = {.id = GENL_ID_CTRL, .version = 2, .name = "nlctrl"};

static int ctrl_getfamily(u32 portid, const struct nlmsghdr *nlh)
{
	struct nlattr *tb[CTRL_ATTR_MAX_UMC + 1];
	static const struct nla_policy policy[CTRL_ATTR_MAX_UMC + 1] = {
		[CTRL_ATTR_FAMILY_ID] = {.type = NLA_U16},
		[CTRL_ATTR_FAMILY_NAME] = {.type = NLA_NUL_STRING, .len = GENL_NAMSIZ - 1},
	};
	struct genl_family *f = NULL;
	struct sk_buff *skb;
	struct nlattr *nest, *grp;
	void *hdr;
	int i, err;

	err = nlmsg_parse_deprecated(nlh, GENL_HDRLEN, tb, CTRL_ATTR_MAX_UMC, policy, NULL);
	if (err)
		return err;
	if (tb[CTRL_ATTR_FAMILY_NAME])
		f = family_by(0, nla_data(tb[CTRL_ATTR_FAMILY_NAME]));
	else if (tb[CTRL_ATTR_FAMILY_ID])
		f = family_by(nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]), NULL);
	if (!f)
		return -ENOENT;

	skb = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, portid, nlh->nlmsg_seq, &ctrl_family, 0, CTRL_CMD_NEWFAMILY);
	if (!hdr || nla_put_string(skb, CTRL_ATTR_FAMILY_NAME, f->name) ||
	    nla_put_u16(skb, CTRL_ATTR_FAMILY_ID, f->id) || nla_put_u32(skb, CTRL_ATTR_VERSION, f->version) ||
	    nla_put_u32(skb, CTRL_ATTR_HDRSIZE, f->hdrsize) || nla_put_u32(skb, CTRL_ATTR_MAXATTR, f->maxattr))
		goto full;
	nest = nla_nest_start_noflag(skb, CTRL_ATTR_OPS);
	if (!nest)
		goto full;
	for (i = 0; i < f->n_ops; i++) {
		const struct genl_ops *op = &f->ops[i];
		u32 flags = op->flags | (op->doit ? GENL_CMD_CAP_DO : 0) | (op->dumpit ? GENL_CMD_CAP_DUMP : 0);
		struct nlattr *o = nla_nest_start_noflag(skb, i + 1);

		if (!o || nla_put_u32(skb, CTRL_ATTR_OP_ID, op->cmd) || nla_put_u32(skb, CTRL_ATTR_OP_FLAGS, flags))
			goto full;
		nla_nest_end(skb, o);
	}
	nla_nest_end(skb, nest);
	if (f->n_mcgrps) {
		nest = nla_nest_start_noflag(skb, CTRL_ATTR_MCAST_GROUPS);
		if (!nest)
			goto full;
		for (i = 0; i < f->n_mcgrps; i++) {
			grp = nla_nest_start_noflag(skb, i + 1);
			if (!grp || nla_put_u32(skb, CTRL_ATTR_MCAST_GRP_ID, f->mcgrp_offset + i) ||
			    nla_put_string(skb, CTRL_ATTR_MCAST_GRP_NAME, f->mcgrps[i].name))
				goto full;
			nla_nest_end(skb, grp);
		}
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	netlink_unicast(NULL, skb, portid, 1);
	return 0;
full:
	kfree_skb(skb);
	return -EMSGSIZE;
}

/* ---- dispatch ---- */

static const struct genl_ops *find_op(const struct genl_family *f, u8 cmd)
{
	int i;

	for (i = 0; i < f->n_ops; i++)
		if (f->ops[i].cmd == cmd)
			return &f->ops[i];
	return NULL;
}

/* The request, copied into an skb as the kernel's netlink receive path
 * does, followed by zeroed tailroom: hosted code that reads a string
 * attribute without a terminating NUL (DRBD's dump filters pass nla_data()
 * of an unvalidated nested attribute to strcmp) stops there instead of
 * running off the allocation. */
#define UMC_GENL_REQ_PAD 256
static struct sk_buff *copy_request(u32 portid, const struct nlmsghdr *nlh)
{
	struct sk_buff *in = nlmsg_new(nlh->nlmsg_len + UMC_GENL_REQ_PAD, GFP_KERNEL);

	if (!in)
		return NULL;
	skb_put_data(in, nlh, nlh->nlmsg_len);
	memset(skb_tail_pointer(in), 0, min_t(int, skb_tailroom(in), UMC_GENL_REQ_PAD));
	NETLINK_CB(in).portid = portid;
	return in;
}

static int run_dump(u32 portid, const struct genl_family *f, const struct genl_ops *op, const struct nlmsghdr *nlh)
{
	struct netlink_callback cb = {.dump = op->dumpit, .done = op->done};
	struct sk_buff *in = copy_request(portid, nlh), *skb;
	unsigned int rounds = 0;
	int ret;

	if (!in)
		return -ENOMEM;
	cb.skb = in;
	/* As in the kernel, the callbacks see the request in the skb, never the
	 * caller's buffer (DRBD clears flag bits of attributes in place). */
	cb.nlh = nlmsg_hdr(in);
	genl_lock();
	if (op->start && (ret = op->start(&cb)) < 0)
		goto out;
	do {
		skb = nlmsg_new(NLMSG_GOODSIZE - NLMSG_HDRLEN, GFP_KERNEL);
		if (!skb) {
			ret = -ENOMEM;
			break;
		}
		NETLINK_CB(skb).portid = portid;
		ret = op->dumpit(skb, &cb);
		if (skb->len) {
			int sent = netlink_unicast(NULL, skb, portid, 1);

			/* The reader is gone (the kernel ends a dump when its
			 * socket closes): stop rather than dump into the void. */
			if (sent < 0 && ret > 0)
				ret = sent;
		} else {
			kfree_skb(skb);
		}
		/* The kernel calls dumpit once per recvmsg, so a dumpit that never
		 * ends (DRBD's dump_devices repeats its "resource not known"
		 * reply) is paced by, and ended by, the reader.  Here dumps run to
		 * the end synchronously: cap them so such a request cannot spin
		 * the netlink server forever. */
		if (ret > 0 && ++rounds >= UMC_GENL_DUMP_MAX_ROUNDS)
			ret = -EMSGSIZE;
	} while (ret > 0);
	skb = nlmsg_new(sizeof(int), GFP_KERNEL);
	if (skb) {
		struct nlmsghdr *done = __nlmsg_put(skb, portid, nlh->nlmsg_seq, NLMSG_DONE, sizeof(int), NLM_F_MULTI);
		*(int *)nlmsg_data(done) = ret < 0 ? ret : 0;
		netlink_unicast(NULL, skb, portid, 1);
	}
	if (op->done)
		op->done(&cb);
	ret = 0;
out:
	genl_unlock();
	kfree_skb(in);
	return ret;
}

static int run_doit(u32 portid, const struct genl_family *f, const struct genl_ops *op, const struct nlmsghdr *nlh)
{
	struct nlattr **attrs = NULL;
	struct genl_info info = {0};
	struct sk_buff *in;
	int err;

	/* The request is copied into an skb first and parsed there: info.attrs
	 * point into the skb as in the kernel, so that doit may write to them
	 * (DRBD clears DRBD_GENLA_F_MANDATORY in place) without touching the
	 * caller's const buffer. */
	in = copy_request(portid, nlh);
	if (!in)
		return -ENOMEM;
	if (f->maxattr) {
		attrs = kcalloc(f->maxattr + 1, sizeof(*attrs), GFP_KERNEL);
		if (!attrs) {
			kfree_skb(in);
			return -ENOMEM;
		}
		/* DRBD's commands are all below resv_start_op: liberal parsing. */
		err = nlmsg_parse_deprecated(nlmsg_hdr(in), GENL_HDRLEN + f->hdrsize, attrs, f->maxattr, f->policy,
					     NULL);
		if (err) {
			kfree(attrs);
			kfree_skb(in);
			return err;
		}
	}
	info.snd_seq = nlh->nlmsg_seq;
	info.snd_portid = portid;
	info.family = f;
	info.nlhdr = nlmsg_hdr(in);
	info.genlhdr = nlmsg_data(info.nlhdr);
	info.userhdr = (char *)info.genlhdr + GENL_HDRLEN;
	info.attrs = attrs;
	info._net = &init_net;
	genl_lock();
	err = op->doit(in, &info);
	genl_unlock();
	kfree_skb(in);
	kfree(attrs);
	return err;
}

/* Requests the hosted module would mishandle (its own bugs, which cannot
 * be fixed in code that is never edited) are refused before dispatch by the
 * guards its glue registers (umc/genl_request_guard.h); -errno refuses. */
extern const umc_genl_request_guard_fn __start_umc_genl_request_guards[] __attribute__((weak));
extern const umc_genl_request_guard_fn __stop_umc_genl_request_guards[] __attribute__((weak));

static int ask_guards(const struct genl_family *f, const struct nlmsghdr *nlh)
{
	const umc_genl_request_guard_fn *g;

	if (!__start_umc_genl_request_guards)
		return 0;
	for (g = __start_umc_genl_request_guards; g < __stop_umc_genl_request_guards; g++) {
		int refused = (*g)(f, nlh);

		if (refused)
			return refused;
	}
	return 0;
}

static int handle_one(u32 portid, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g;
	const struct genl_family *f;
	const struct genl_ops *op;
	int err;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EINVAL;
	g = nlmsg_data(nlh);
	if (nlh->nlmsg_type == GENL_ID_CTRL)
		return g->cmd == CTRL_CMD_GETFAMILY ? ctrl_getfamily(portid, nlh) : -EOPNOTSUPP;
	f = family_by(nlh->nlmsg_type, NULL);
	if (!f)
		return -ENOENT;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN + f->hdrsize)
		return -EINVAL;
	op = find_op(f, g->cmd);
	if (!op)
		return -EOPNOTSUPP;
	if ((op->flags & GENL_ADMIN_PERM) && !capable(CAP_NET_ADMIN))
		return -EPERM;
	err = ask_guards(f, nlh);
	if (err)
		return err;
	if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
		if (!op->dumpit)
			return -EOPNOTSUPP;
		return run_dump(portid, f, op, nlh);
	}
	if (!op->doit)
		return -EOPNOTSUPP;
	return run_doit(portid, f, op, nlh);
}

int umc_genl_rcv(unsigned int portid, const void *data, unsigned long len)
{
	const struct nlmsghdr *nlh;
	int rem, count = 0;

	nlmsg_for_each_msg(nlh, (const struct nlmsghdr *)data, (int)len, rem)
	{
		int err;

		if (!(nlh->nlmsg_flags & NLM_F_REQUEST))
			continue;
		err = handle_one(portid, nlh);
		/* Errors, and success when an ACK was asked for, get NLMSG_ERROR. */
		if (err < 0 || (nlh->nlmsg_flags & NLM_F_ACK))
			send_error(portid, nlh, err < 0 ? err : 0);
		count++;
	}
	return count;
}
