// SPDX-License-Identifier: GPL-2.0
/* Netlink attribute construction and policy-checked parsing (the kernel's
 * lib/nlattr.c contract for the policy types generic netlink users need:
 * U8/16/32/64, S8..S64, STRING, NUL_STRING, BINARY, FLAG, NESTED, REJECT). */
#include <net/netlink.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/printk.h>

/* Exact payload sizes of the fixed-size types (a nest has none). */
static const u8 nla_attr_len[NLA_TYPE_MAX + 1] = {
	[NLA_U8] = sizeof(u8),       [NLA_U16] = sizeof(u16),     [NLA_U32] = sizeof(u32), [NLA_U64] = sizeof(u64),
	[NLA_S8] = sizeof(s8),       [NLA_S16] = sizeof(s16),     [NLA_S32] = sizeof(s32), [NLA_S64] = sizeof(s64),
	[NLA_BE16] = sizeof(__be16), [NLA_BE32] = sizeof(__be32),
};

/* Minimum payload sizes where the policy gives none. */
static const u8 nla_attr_minlen[NLA_TYPE_MAX + 1] = {
	[NLA_U8] = sizeof(u8),     [NLA_U16] = sizeof(u16),   [NLA_U32] = sizeof(u32),     [NLA_U64] = sizeof(u64),
	[NLA_MSECS] = sizeof(u64), [NLA_NESTED] = NLA_HDRLEN, [NLA_S8] = sizeof(s8),       [NLA_S16] = sizeof(s16),
	[NLA_S32] = sizeof(s32),   [NLA_S64] = sizeof(s64),   [NLA_BE16] = sizeof(__be16), [NLA_BE32] = sizeof(__be32),
};

static int validate_nla(const struct nlattr *nla, int maxtype, const struct nla_policy *policy, unsigned int validate,
			struct netlink_ext_ack *extack)
{
	u16 strict_start_type = policy[0].strict_start_type;
	const struct nla_policy *pt;
	int minlen = 0, attrlen = nla_len(nla), type = nla_type(nla);

	if (strict_start_type && type >= strict_start_type)
		validate |= NL_VALIDATE_STRICT;
	if (type <= 0 || type > maxtype)
		return 0;
	pt = &policy[type];
	BUG_ON(pt->type > NLA_TYPE_MAX);

	if (nla_attr_len[pt->type] && attrlen != nla_attr_len[pt->type]) {
		pr_warn_ratelimited("netlink: attribute type %d has an invalid length.\n", type);
		if (validate & NL_VALIDATE_STRICT_ATTRS) {
			NL_SET_BAD_ATTR(extack, nla);
			return -EINVAL;
		}
	}
	if (validate & NL_VALIDATE_NESTED) {
		if ((pt->type == NLA_NESTED || pt->type == NLA_NESTED_ARRAY) && !(nla->nla_type & NLA_F_NESTED))
			return -EINVAL;
		if (pt->type != NLA_NESTED && pt->type != NLA_NESTED_ARRAY && pt->type != NLA_UNSPEC &&
		    (nla->nla_type & NLA_F_NESTED))
			return -EINVAL;
	}

	switch (pt->type) {
	case NLA_REJECT:
		NL_SET_BAD_ATTR(extack, nla);
		return -EINVAL;
	case NLA_FLAG:
		if (attrlen > 0)
			goto out_range;
		break;
	case NLA_NUL_STRING:
		/* The NUL must come within len + 1 bytes (len excludes it). */
		minlen = pt->len ? min_t(int, attrlen, pt->len + 1) : attrlen;
		if (!minlen || memchr(nla_data(nla), '\0', minlen) == NULL)
			goto out_inval;
		fallthrough;
	case NLA_STRING:
		if (attrlen < 1)
			goto out_range;
		if (pt->len) {
			char *buf = nla_data(nla);
			if (buf[attrlen - 1] == '\0')
				attrlen--;
			if (attrlen > pt->len)
				goto out_range;
		}
		break;
	case NLA_BINARY:
		if (pt->len && attrlen > pt->len)
			goto out_range;
		break;
	case NLA_NESTED:
		/* an empty nest is allowed */
		if (attrlen == 0)
			break;
		if (attrlen < NLA_HDRLEN)
			goto out_range;
		if (pt->nested_policy) {
			int err = __nla_validate(nla_data(nla), nla_len(nla), pt->len, pt->nested_policy, validate,
						 extack);
			if (err < 0)
				return err;
		}
		break;
	case NLA_UNSPEC:
		if (validate & NL_VALIDATE_UNSPEC)
			goto out_inval;
		if (attrlen < pt->len)
			goto out_range;
		break;
	default:
		minlen = pt->len ? pt->len : nla_attr_minlen[pt->type];
		if (attrlen < minlen)
			goto out_range;
	}
	return 0;

out_range:
	NL_SET_BAD_ATTR(extack, nla);
	return -ERANGE;
out_inval:
	NL_SET_BAD_ATTR(extack, nla);
	return -EINVAL;
}

static int __nla_validate_parse(const struct nlattr *head, int len, int maxtype, const struct nla_policy *policy,
				unsigned int validate, struct netlink_ext_ack *extack, struct nlattr **tb)
{
	const struct nlattr *nla;
	int rem;

	if (tb)
		memset(tb, 0, sizeof(struct nlattr *) * (maxtype + 1));

	nla_for_each_attr(nla, head, len, rem)
	{
		u16 type = nla_type(nla);

		if (type == 0 || type > maxtype) {
			if (validate & NL_VALIDATE_MAXTYPE) {
				NL_SET_ERR_MSG(extack, "Unknown attribute type");
				return -EINVAL;
			}
			continue; /* liberal parsing ignores what it does not know */
		}
		if (policy) {
			int err = validate_nla(nla, maxtype, policy, validate, extack);
			if (err < 0)
				return err;
		}
		if (tb)
			tb[type] = (struct nlattr *)nla;
	}

	if (unlikely(rem > 0)) {
		pr_warn_ratelimited("netlink: %d bytes leftover after parsing attributes in process `%s'.\n", rem,
				    "umc");
		if (validate & NL_VALIDATE_TRAILING)
			return -EINVAL;
	}
	return 0;
}

int __nla_validate(const struct nlattr *head, int len, int maxtype, const struct nla_policy *policy,
		   unsigned int validate, struct netlink_ext_ack *extack)
{
	return __nla_validate_parse(head, len, maxtype, policy, validate, extack, NULL);
}

int __nla_parse(struct nlattr **tb, int maxtype, const struct nlattr *head, int len, const struct nla_policy *policy,
		unsigned int validate, struct netlink_ext_ack *extack)
{
	return __nla_validate_parse(head, len, maxtype, policy, validate, extack, tb);
}

int nla_policy_len(const struct nla_policy *p, int n)
{
	int i, len = 0;

	for (i = 0; i < n; i++, p++) {
		if (p->len)
			len += nla_total_size(p->len);
		else if (nla_attr_len[p->type])
			len += nla_total_size(nla_attr_len[p->type]);
		else if (nla_attr_minlen[p->type])
			len += nla_total_size(nla_attr_minlen[p->type]);
	}
	return len;
}

struct nlattr *nla_find(const struct nlattr *head, int len, int attrtype)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_attr(nla, head, len, rem) if (nla_type(nla) == attrtype) return (struct nlattr *)nla;
	return NULL;
}

/* Copies a string attribute into @dst, always NUL-terminated and zero
 * padded; returns its length, or -E2BIG if it had to be truncated. */
ssize_t nla_strscpy(char *dst, const struct nlattr *nla, size_t dstsize)
{
	size_t srclen = nla_len(nla);
	char *src = nla_data(nla);
	ssize_t ret;
	size_t len;

	if (dstsize == 0 || WARN_ON_ONCE(dstsize > U16_MAX))
		return -E2BIG;
	if (srclen > 0 && src[srclen - 1] == '\0')
		srclen--;
	if (srclen >= dstsize) {
		len = dstsize - 1;
		ret = -E2BIG;
	} else {
		len = srclen;
		ret = len;
	}
	memcpy(dst, src, len);
	memset(dst + len, 0, dstsize - len);
	return ret;
}

char *nla_strdup(const struct nlattr *nla, gfp_t flags)
{
	size_t srclen = nla_len(nla);
	char *src = nla_data(nla), *dst;

	if (srclen > 0 && src[srclen - 1] == '\0')
		srclen--;
	dst = kmalloc(srclen + 1, flags);
	if (dst != NULL) {
		memcpy(dst, src, srclen);
		dst[srclen] = '\0';
	}
	return dst;
}

/* Copies min(count, payload) bytes and zero-fills the rest of @count. */
int nla_memcpy(void *dest, const struct nlattr *src, int count)
{
	int minlen = min_t(int, count, nla_len(src));

	memcpy(dest, nla_data(src), minlen);
	if (count > minlen)
		memset((char *)dest + minlen, 0, count - minlen);
	return minlen;
}

int nla_memcmp(const struct nlattr *nla, const void *data, size_t size)
{
	int d = nla_len(nla) - size;

	if (d == 0)
		d = memcmp(nla_data(nla), data, size);
	return d;
}

int nla_strcmp(const struct nlattr *nla, const char *str)
{
	int len = strlen(str);
	char *buf = nla_data(nla);
	int attrlen = nla_len(nla);
	int d;

	while (attrlen > 0 && buf[attrlen - 1] == '\0')
		attrlen--;
	d = attrlen - len;
	if (d == 0)
		d = memcmp(nla_data(nla), str, len);
	return d;
}

struct nlattr *__nla_reserve(struct sk_buff *skb, int attrtype, int attrlen)
{
	struct nlattr *nla;

	nla = skb_put(skb, nla_total_size(attrlen));
	nla->nla_type = attrtype;
	nla->nla_len = nla_attr_size(attrlen);
	memset((unsigned char *)nla + nla->nla_len, 0, nla_padlen(attrlen));
	return nla;
}

struct nlattr *__nla_reserve_64bit(struct sk_buff *skb, int attrtype, int attrlen, int padattr)
{
	return __nla_reserve(skb, attrtype, attrlen);
}

void *__nla_reserve_nohdr(struct sk_buff *skb, int attrlen)
{
	return skb_put_zero(skb, NLA_ALIGN(attrlen));
}

struct nlattr *nla_reserve(struct sk_buff *skb, int attrtype, int attrlen)
{
	if (unlikely(skb_tailroom(skb) < nla_total_size(attrlen)))
		return NULL;
	return __nla_reserve(skb, attrtype, attrlen);
}

struct nlattr *nla_reserve_64bit(struct sk_buff *skb, int attrtype, int attrlen, int padattr)
{
	return nla_reserve(skb, attrtype, attrlen);
}

void *nla_reserve_nohdr(struct sk_buff *skb, int attrlen)
{
	if (unlikely(skb_tailroom(skb) < NLA_ALIGN(attrlen)))
		return NULL;
	return __nla_reserve_nohdr(skb, attrlen);
}

void __nla_put(struct sk_buff *skb, int attrtype, int attrlen, const void *data)
{
	struct nlattr *nla = __nla_reserve(skb, attrtype, attrlen);
	if (attrlen)
		memcpy(nla_data(nla), data, attrlen);
}

void __nla_put_64bit(struct sk_buff *skb, int attrtype, int attrlen, const void *data, int padattr)
{
	__nla_put(skb, attrtype, attrlen, data);
}

void __nla_put_nohdr(struct sk_buff *skb, int attrlen, const void *data)
{
	void *start = __nla_reserve_nohdr(skb, attrlen);
	memcpy(start, data, attrlen);
}

int nla_put(struct sk_buff *skb, int attrtype, int attrlen, const void *data)
{
	if (unlikely(skb_tailroom(skb) < nla_total_size(attrlen)))
		return -EMSGSIZE;
	__nla_put(skb, attrtype, attrlen, data);
	return 0;
}

/* x86-64 needs no alignment padding for 64-bit payloads (see
 * nla_need_padding_for_64bit), so @padattr is never emitted. */
int nla_put_64bit(struct sk_buff *skb, int attrtype, int attrlen, const void *data, int padattr)
{
	return nla_put(skb, attrtype, attrlen, data);
}

int nla_put_nohdr(struct sk_buff *skb, int attrlen, const void *data)
{
	if (unlikely(skb_tailroom(skb) < NLA_ALIGN(attrlen)))
		return -EMSGSIZE;
	__nla_put_nohdr(skb, attrlen, data);
	return 0;
}

int nla_append(struct sk_buff *skb, int attrlen, const void *data)
{
	if (unlikely(skb_tailroom(skb) < NLA_ALIGN(attrlen)))
		return -EMSGSIZE;
	skb_put_data(skb, data, attrlen);
	return 0;
}
