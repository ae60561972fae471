// SPDX-License-Identifier: GPL-2.0
/* Requests the hosted DRBD 8.4.11 mishandles, refused before they reach it.
 *
 * drbd_adm_dump_{devices,connections,peer_devices} use find_cfg_context_attr()
 * without IS_ERR(): a context attribute carrying DRBD_GENLA_F_MANDATORY with a
 * type above the context policy's maxtype (4, ctx_peer_addr) makes it return
 * ERR_PTR(-EOPNOTSUPP), which drbd_find_resource() dereferences.  The kernel
 * crashes on this too; drbd-utils never send it.  Refused with -EINVAL (an
 * NLMSG_ERROR, like any malformed request).  Reproducer: docs/hosted-build.md. */
#include <linux/kernel.h>
#include <net/genetlink.h>
#include <linux/drbd.h>
#include <linux/drbd_genl_api.h>
#include <umc/genl_request_guard.h>

static int drbd_dump_context_guard(const struct genl_family *f, const struct nlmsghdr *nlh)
{
	const unsigned int hdrlen = GENL_HDRLEN + sizeof(struct drbd_genlmsghdr);
	const struct genlmsghdr *g = nlmsg_data(nlh);
	const struct nlattr *ctx, *a;
	int rem;

	if (strcmp(f->name, "drbd") != 0 || nlh->nlmsg_len < NLMSG_HDRLEN + hdrlen)
		return 0;
	if (g->cmd != DRBD_ADM_GET_DEVICES && g->cmd != DRBD_ADM_GET_CONNECTIONS && g->cmd != DRBD_ADM_GET_PEER_DEVICES)
		return 0;
	ctx = nla_find(nlmsg_attrdata(nlh, hdrlen), nlmsg_attrlen(nlh, hdrlen), DRBD_NLA_CFG_CONTEXT);
	if (!ctx)
		return 0;
	nla_for_each_attr(a, nla_data(ctx), nla_len(ctx), rem) if ((a->nla_type & DRBD_GENLA_F_MANDATORY) &&
								   (a->nla_type & NLA_TYPE_MASK) > 4) return -EINVAL;
	return 0;
}
UMC_GENL_REQUEST_GUARD(drbd_dump_context_guard);
