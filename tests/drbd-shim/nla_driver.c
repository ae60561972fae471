// SPDX-License-Identifier: GPL-2.0
/* Test driver: drbd_nla.c (unmodified) parsing what nla_put built. */
#include <linux/kernel.h>
#include <net/netlink.h>
#include <linux/drbd_genl_api.h>
#include "drbd_nla.h"
#include "nla_driver.h"

static const struct nla_policy policy[] = {
	[1] = {.type = NLA_U32},
	[2] = {.type = NLA_NUL_STRING, .len = 8},
};

static struct nlattr *build(struct sk_buff *skb, const struct tdrv_nla_case *c)
{
	u32 value = 0xdeadbeef;
	struct nlattr *nest = nla_nest_start(skb, 3);

	nla_put(skb, 1 | (c->mandatory_u32 ? DRBD_GENLA_F_MANDATORY : 0), c->u32_payload_len, &value);
	if (c->string)
		nla_put_string(skb, 2, c->string);
	if (c->extra_type)
		nla_put_u8(skb, c->extra_type | (c->extra_mandatory ? DRBD_GENLA_F_MANDATORY : 0), 1);
	nla_nest_end(skb, nest);
	return nest;
}

void tdrv_nla_parse(const struct tdrv_nla_case *c, struct tdrv_nla_result *r)
{
	struct sk_buff *skb = alloc_skb(1024, GFP_KERNEL);
	struct nlattr *tb[3], *nest, *found;

	memset(r, 0, sizeof(*r));
	/* Both entry points strip the flags they checked from the message, so
	 * each gets a fresh copy. */
	nest = build(skb, c);
	found = drbd_nla_find_nested(2, nest, 2);
	r->find_nested_type = IS_ERR(found) ? (int)PTR_ERR(found) : found ? nla_type(found) : 0;

	skb_trim(skb, 0);
	nest = build(skb, c);
	r->err = drbd_nla_parse_nested(tb, 2, nest, policy);
	r->type_flag_cleared = !(((struct nlattr *)nla_data(nest))->nla_type & DRBD_GENLA_F_MANDATORY);
	if (!r->err) {
		if (tb[1]) {
			r->have_u32 = 1;
			r->u32_value = nla_get_u32(tb[1]);
		}
		if (tb[2]) {
			r->have_string = 1;
			r->strscpy_ret = nla_strscpy(r->string, tb[2], sizeof(r->string));
		}
	}
	kfree_skb(skb);
}

int tdrv_nla_nest_cancel_restores_length(void)
{
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	struct nlattr *nest;
	unsigned int before, after;
	int bad = 0;

	nla_put_u32(skb, 1, 7);
	before = skb->len;
	nest = nla_nest_start(skb, 2);
	nla_put_string(skb, 3, "abc");
	nla_nest_cancel(skb, nest);
	after = skb->len;
	if (after != before)
		bad = 1;
	nest = nla_nest_start(skb, 2);
	nla_put_u64_64bit(skb, 4, 1ULL << 40, 0);
	if (nla_nest_end(skb, nest) != (int)skb->len || nest->nla_len != NLA_HDRLEN + nla_total_size(8))
		bad = 2;
	if (nla_get_u64(nla_find_nested(nest, 4)) != 1ULL << 40)
		bad = 3;
	/* No room: nla_put fails cleanly with -EMSGSIZE and adds nothing. */
	before = skb->len;
	if (nla_put(skb, 5, 1000, skb->head) != -EMSGSIZE || skb->len != before)
		bad = 4;
	kfree_skb(skb);
	return bad;
}
