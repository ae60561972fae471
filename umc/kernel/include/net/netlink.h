/* Building and parsing netlink messages in skbs.  Attribute layout:
 *   nlattr{len = NLA_HDRLEN + payload, type} payload padding-to-4
 * Parsing validates attributes against an nla_policy the way the kernel
 * does for "liberal" (deprecated) parsing, which is what every DRBD
 * operation uses (they are all below the family's resv_start_op).
 * Out-of-line parts: umc/kernel/lib/nlattr.c. */
#ifndef __NET_NETLINK_H
#define __NET_NETLINK_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/netlink.h>
#include <linux/string.h>
#include <linux/bug.h>
#include <linux/minmax.h>

enum {
	NLA_UNSPEC,
	NLA_U8,
	NLA_U16,
	NLA_U32,
	NLA_U64,
	NLA_STRING,
	NLA_FLAG,
	NLA_MSECS,
	NLA_NESTED,
	NLA_NESTED_ARRAY,
	NLA_NUL_STRING,
	NLA_BINARY,
	NLA_S8,
	NLA_S16,
	NLA_S32,
	NLA_S64,
	NLA_BITFIELD32,
	NLA_REJECT,
	NLA_BE16,
	NLA_BE32,
	__NLA_TYPE_MAX,
};
#define NLA_TYPE_MAX (__NLA_TYPE_MAX - 1)

enum nla_policy_validation {
	NLA_VALIDATE_NONE,
	NLA_VALIDATE_RANGE,
	NLA_VALIDATE_RANGE_WARN_TOO_LONG,
	NLA_VALIDATE_MIN,
	NLA_VALIDATE_MAX,
	NLA_VALIDATE_MASK,
	NLA_VALIDATE_RANGE_PTR,
	NLA_VALIDATE_FUNCTION,
};

/* What an attribute of each type must look like.  For NLA_NUL_STRING and
 * NLA_STRING, len is the longest string (without the NUL); for NLA_BINARY
 * the largest payload; for other types a minimum payload length (0: the
 * type's natural size). */
struct nla_policy {
	u8 type;
	u8 validation_type;
	u16 len;
	union {
		const u32 bitfield32_valid;
		const u32 mask;
		const char *reject_message;
		const struct nla_policy *nested_policy;
		struct {
			s16 min, max;
		};
		int (*validate)(const struct nlattr *attr, struct netlink_ext_ack *extack);
		u16 strict_start_type;
	};
};

#define NL_VALIDATE_LIBERAL 0
#define NL_VALIDATE_TRAILING BIT(0)
#define NL_VALIDATE_MAXTYPE BIT(1)
#define NL_VALIDATE_UNSPEC BIT(2)
#define NL_VALIDATE_STRICT_ATTRS BIT(3)
#define NL_VALIDATE_NESTED BIT(4)
#define NL_VALIDATE_DEPRECATED_STRICT (NL_VALIDATE_TRAILING | NL_VALIDATE_MAXTYPE)
#define NL_VALIDATE_STRICT (NL_VALIDATE_TRAILING | NL_VALIDATE_MAXTYPE | NL_VALIDATE_UNSPEC | \
			    NL_VALIDATE_STRICT_ATTRS | NL_VALIDATE_NESTED)

/* ---- out of line (umc/kernel/lib/nlattr.c) ---- */
int __nla_validate(const struct nlattr *head, int len, int maxtype, const struct nla_policy *policy,
		   unsigned int validate, struct netlink_ext_ack *extack);
int __nla_parse(struct nlattr **tb, int maxtype, const struct nlattr *head, int len,
		const struct nla_policy *policy, unsigned int validate, struct netlink_ext_ack *extack);
int nla_policy_len(const struct nla_policy *p, int n);
struct nlattr *nla_find(const struct nlattr *head, int len, int attrtype);
ssize_t nla_strscpy(char *dst, const struct nlattr *nla, size_t dstsize);
char *nla_strdup(const struct nlattr *nla, gfp_t flags);
int nla_memcpy(void *dest, const struct nlattr *src, int count);
int nla_memcmp(const struct nlattr *nla, const void *data, size_t size);
int nla_strcmp(const struct nlattr *nla, const char *str);
struct nlattr *__nla_reserve(struct sk_buff *skb, int attrtype, int attrlen);
struct nlattr *__nla_reserve_64bit(struct sk_buff *skb, int attrtype, int attrlen, int padattr);
void *__nla_reserve_nohdr(struct sk_buff *skb, int attrlen);
struct nlattr *nla_reserve(struct sk_buff *skb, int attrtype, int attrlen);
struct nlattr *nla_reserve_64bit(struct sk_buff *skb, int attrtype, int attrlen, int padattr);
void *nla_reserve_nohdr(struct sk_buff *skb, int attrlen);
void __nla_put(struct sk_buff *skb, int attrtype, int attrlen, const void *data);
void __nla_put_64bit(struct sk_buff *skb, int attrtype, int attrlen, const void *data, int padattr);
void __nla_put_nohdr(struct sk_buff *skb, int attrlen, const void *data);
int nla_put(struct sk_buff *skb, int attrtype, int attrlen, const void *data);
int nla_put_64bit(struct sk_buff *skb, int attrtype, int attrlen, const void *data, int padattr);
int nla_put_nohdr(struct sk_buff *skb, int attrlen, const void *data);
int nla_append(struct sk_buff *skb, int attrlen, const void *data);

/* ---- messages ---- */
static inline int nlmsg_msg_size(int payload) { return NLMSG_HDRLEN + payload; }
static inline int nlmsg_total_size(int payload) { return NLMSG_ALIGN(nlmsg_msg_size(payload)); }
static inline int nlmsg_padlen(int payload) { return nlmsg_total_size(payload) - nlmsg_msg_size(payload); }
static inline void *nlmsg_data(const struct nlmsghdr *nlh) { return (unsigned char *)nlh + NLMSG_HDRLEN; }
static inline int nlmsg_len(const struct nlmsghdr *nlh) { return nlh->nlmsg_len - NLMSG_HDRLEN; }
static inline struct nlattr *nlmsg_attrdata(const struct nlmsghdr *nlh, int hdrlen)
{
	unsigned char *data = nlmsg_data(nlh);
	return (struct nlattr *)(data + NLMSG_ALIGN(hdrlen));
}
static inline int nlmsg_attrlen(const struct nlmsghdr *nlh, int hdrlen)
{
	return nlmsg_len(nlh) - NLMSG_ALIGN(hdrlen);
}
static inline int nlmsg_ok(const struct nlmsghdr *nlh, int remaining)
{
	return (remaining >= (int)sizeof(struct nlmsghdr) && nlh->nlmsg_len >= sizeof(struct nlmsghdr) &&
		nlh->nlmsg_len <= remaining);
}
static inline struct nlmsghdr *nlmsg_next(const struct nlmsghdr *nlh, int *remaining)
{
	int totlen = NLMSG_ALIGN(nlh->nlmsg_len);
	*remaining -= totlen;
	return (struct nlmsghdr *)((unsigned char *)nlh + totlen);
}
static inline struct nlmsghdr *__nlmsg_put(struct sk_buff *skb, u32 portid, u32 seq, int type, int len,
					   int flags)
{
	struct nlmsghdr *nlh;
	int size = nlmsg_msg_size(len);

	nlh = skb_put(skb, NLMSG_ALIGN(size));
	nlh->nlmsg_type = type;
	nlh->nlmsg_len = size;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_pid = portid;
	nlh->nlmsg_seq = seq;
	memset((unsigned char *)nlmsg_data(nlh) + len, 0, NLMSG_ALIGN(size) - size);
	return nlh;
}
/* NULL when the skb has no room for the header and @payload. */
static inline struct nlmsghdr *nlmsg_put(struct sk_buff *skb, u32 portid, u32 seq, int type, int payload,
					 int flags)
{
	if (unlikely(skb_tailroom(skb) < nlmsg_total_size(payload)))
		return NULL;
	return __nlmsg_put(skb, portid, seq, type, payload, flags);
}
static inline struct sk_buff *nlmsg_new(size_t payload, gfp_t flags)
{
	return alloc_skb(nlmsg_total_size(payload), flags);
}
static inline void nlmsg_end(struct sk_buff *skb, struct nlmsghdr *nlh)
{
	nlh->nlmsg_len = skb_tail_pointer(skb) - (unsigned char *)nlh;
}
/* Drops everything from @mark on. */
static inline void nlmsg_trim(struct sk_buff *skb, const void *mark)
{
	if (mark) {
		WARN_ON((unsigned char *)mark < skb->data);
		skb_trim(skb, (const unsigned char *)mark - skb->data);
	}
}
static inline void nlmsg_cancel(struct sk_buff *skb, struct nlmsghdr *nlh) { nlmsg_trim(skb, nlh); }
static inline void nlmsg_free(struct sk_buff *skb) { kfree_skb(skb); }
static inline int nlmsg_unicast(struct sock *sk, struct sk_buff *skb, u32 portid)
{
	int err = netlink_unicast(sk, skb, portid, 0x40 /* MSG_DONTWAIT */);
	return err > 0 ? 0 : err;
}
#define nlmsg_for_each_msg(pos, head, len, rem) \
	for (pos = head, rem = len; nlmsg_ok(pos, rem); pos = nlmsg_next(pos, &(rem)))

/* ---- attributes ---- */
static inline int nla_attr_size(int payload) { return NLA_HDRLEN + payload; }
static inline int nla_total_size(int payload) { return NLA_ALIGN(nla_attr_size(payload)); }
static inline int nla_padlen(int payload) { return nla_total_size(payload) - nla_attr_size(payload); }
static inline int nla_type(const struct nlattr *nla) { return nla->nla_type & NLA_TYPE_MASK; }
static inline void *nla_data(const struct nlattr *nla) { return (char *)nla + NLA_HDRLEN; }
static inline int nla_len(const struct nlattr *nla) { return nla->nla_len - NLA_HDRLEN; }
static inline int nla_ok(const struct nlattr *nla, int remaining)
{
	return remaining >= (int)sizeof(*nla) && nla->nla_len >= sizeof(*nla) && nla->nla_len <= remaining;
}
static inline struct nlattr *nla_next(const struct nlattr *nla, int *remaining)
{
	unsigned int totlen = NLA_ALIGN(nla->nla_len);
	*remaining -= totlen;
	return (struct nlattr *)((char *)nla + totlen);
}
static inline bool nla_is_last(const struct nlattr *nla, int rem) { return nla->nla_len == rem; }
/* x86-64 handles unaligned 64-bit loads: 64-bit attributes need no pad. */
static inline bool nla_need_padding_for_64bit(struct sk_buff *skb) { return false; }
static inline int nla_total_size_64bit(int payload) { return NLA_ALIGN(nla_attr_size(payload)); }

#define nla_for_each_attr(pos, head, len, rem) \
	for (pos = head, rem = len; nla_ok(pos, rem); pos = nla_next(pos, &(rem)))
#define nla_for_each_nested(pos, nla, rem) nla_for_each_attr(pos, nla_data(nla), nla_len(nla), rem)

static inline struct nlattr *nla_find_nested(const struct nlattr *nla, int attrtype)
{
	return nla_find(nla_data(nla), nla_len(nla), attrtype);
}
static inline int nla_parse_nested_deprecated(struct nlattr *tb[], int maxtype, const struct nlattr *nla,
					      const struct nla_policy *policy, struct netlink_ext_ack *extack)
{
	return __nla_parse(tb, maxtype, nla_data(nla), nla_len(nla), policy, NL_VALIDATE_LIBERAL, extack);
}
static inline int nla_parse_nested(struct nlattr *tb[], int maxtype, const struct nlattr *nla,
				   const struct nla_policy *policy, struct netlink_ext_ack *extack)
{
	return __nla_parse(tb, maxtype, nla_data(nla), nla_len(nla), policy, NL_VALIDATE_STRICT, extack);
}
static inline int nla_parse_deprecated(struct nlattr **tb, int maxtype, const struct nlattr *head, int len,
				       const struct nla_policy *policy, struct netlink_ext_ack *extack)
{
	return __nla_parse(tb, maxtype, head, len, policy, NL_VALIDATE_LIBERAL, extack);
}
static inline int nlmsg_parse_deprecated(const struct nlmsghdr *nlh, int hdrlen, struct nlattr *tb[],
					 int maxtype, const struct nla_policy *policy,
					 struct netlink_ext_ack *extack)
{
	if (nlh->nlmsg_len < nlmsg_msg_size(hdrlen))
		return -EINVAL;
	return __nla_parse(tb, maxtype, nlmsg_attrdata(nlh, hdrlen), nlmsg_attrlen(nlh, hdrlen), policy,
			   NL_VALIDATE_LIBERAL, extack);
}

#define __UMC_NLA_PUT(sfx, ctype)                                                       \
	static inline int nla_put_##sfx(struct sk_buff *skb, int attrtype, ctype value) \
	{                                                                               \
		ctype tmp = value;                                                      \
		return nla_put(skb, attrtype, sizeof(ctype), &tmp);                     \
	}
__UMC_NLA_PUT(u8, u8)
__UMC_NLA_PUT(u16, u16)
__UMC_NLA_PUT(u32, u32)
__UMC_NLA_PUT(s8, s8)
__UMC_NLA_PUT(s16, s16)
__UMC_NLA_PUT(s32, s32)
__UMC_NLA_PUT(be16, __be16)
__UMC_NLA_PUT(be32, __be32)
__UMC_NLA_PUT(le16, __le16)
__UMC_NLA_PUT(le32, __le32)
__UMC_NLA_PUT(in_addr, __be32)
static inline int nla_put_u64_64bit(struct sk_buff *skb, int attrtype, u64 value, int padattr)
{
	u64 tmp = value;
	return nla_put_64bit(skb, attrtype, sizeof(u64), &tmp, padattr);
}
static inline int nla_put_s64(struct sk_buff *skb, int attrtype, s64 value, int padattr)
{
	s64 tmp = value;
	return nla_put_64bit(skb, attrtype, sizeof(s64), &tmp, padattr);
}
static inline int nla_put_string(struct sk_buff *skb, int attrtype, const char *str)
{
	return nla_put(skb, attrtype, strlen(str) + 1, str);
}
static inline int nla_put_flag(struct sk_buff *skb, int attrtype) { return nla_put(skb, attrtype, 0, NULL); }

#define __UMC_NLA_GET(sfx, ctype) \
	static inline ctype nla_get_##sfx(const struct nlattr *nla) { ctype v; memcpy(&v, nla_data(nla), sizeof(v)); return v; }
__UMC_NLA_GET(u8, u8)
__UMC_NLA_GET(u16, u16)
__UMC_NLA_GET(u32, u32)
__UMC_NLA_GET(u64, u64)
__UMC_NLA_GET(s8, s8)
__UMC_NLA_GET(s16, s16)
__UMC_NLA_GET(s32, s32)
__UMC_NLA_GET(s64, s64)
__UMC_NLA_GET(be16, __be16)
__UMC_NLA_GET(be32, __be32)
__UMC_NLA_GET(le32, __le32)
__UMC_NLA_GET(in_addr, __be32)
static inline int nla_get_flag(const struct nlattr *nla) { return !!nla; }

/* Nested attributes: start returns the header to finish with nla_nest_end
 * (which fixes up its length) or drop with nla_nest_cancel. */
static inline struct nlattr *nla_nest_start_noflag(struct sk_buff *skb, int attrtype)
{
	struct nlattr *start = (struct nlattr *)skb_tail_pointer(skb);
	if (nla_put(skb, attrtype, 0, NULL) < 0)
		return NULL;
	return start;
}
static inline struct nlattr *nla_nest_start(struct sk_buff *skb, int attrtype)
{
	return nla_nest_start_noflag(skb, attrtype | NLA_F_NESTED);
}
static inline int nla_nest_end(struct sk_buff *skb, struct nlattr *start)
{
	start->nla_len = skb_tail_pointer(skb) - (unsigned char *)start;
	return skb->len;
}
static inline void nla_nest_cancel(struct sk_buff *skb, struct nlattr *start) { nlmsg_trim(skb, start); }

#endif
