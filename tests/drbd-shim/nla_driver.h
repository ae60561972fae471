/* Plain-C face of drbd_nla.c (DRBD's "mandatory attribute" netlink parsing)
 * over UMC's nlattr/skb code. */
#ifndef TESTS_DRBD_SHIM_NLA_DRIVER_H
#define TESTS_DRBD_SHIM_NLA_DRIVER_H
#ifdef __cplusplus
extern "C" {
#endif

/* What the nested attribute carries; see nla_driver.c for the policy:
 * attr 1 NLA_U32, attr 2 NLA_NUL_STRING (max 8 chars), maxtype 2. */
struct tdrv_nla_case {
	int mandatory_u32;   /* set DRBD_GENLA_F_MANDATORY on attr 1 */
	int u32_payload_len; /* 4 normally; less to make it invalid */
	const char *string;  /* attr 2, NULL: absent */
	int extra_type;      /* 0: none; else an extra attribute of this type */
	int extra_mandatory; /* with DRBD_GENLA_F_MANDATORY */
};

struct tdrv_nla_result {
	int err; /* drbd_nla_parse_nested() */
	int have_u32, have_string;
	unsigned u32_value;
	char string[9];
	long strscpy_ret;      /* nla_strscpy(string attr, 9-byte buffer) */
	int type_flag_cleared; /* attr 1's nla_type no longer has the flag */
	int find_nested_type;  /* nla_type of drbd_nla_find_nested(.., 2), or -errno */
};

void tdrv_nla_parse(const struct tdrv_nla_case *c, struct tdrv_nla_result *r);
/* Nest, cancel, nest again: returns the message length before and after
 * the cancel and at the end; 0 when the cancelled bytes are really gone. */
int tdrv_nla_nest_cancel_restores_length(void);

#ifdef __cplusplus
}
#endif
#endif
