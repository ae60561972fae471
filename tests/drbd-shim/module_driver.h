/* Plain-C face of the whole hosted DRBD module for drbd_module_test.cpp. */
#ifndef TESTS_DRBD_SHIM_MODULE_DRIVER_H
#define TESTS_DRBD_SHIM_MODULE_DRIVER_H
#include <umc/kernel_host.h>

#ifdef __cplusplus
extern "C" {
#endif

/* umc_kernel_prepare, umc_module_init ...: the host interface. */
/* /proc/<name> as text (free with tdrv_mod_free), NULL if absent. */
char *tdrv_mod_proc(const char *name);
void tdrv_mod_free(void *p);
/* Sends CTRL_CMD_GETFAMILY for @family through the genl core and reports
 * what the reply said (-errno from NLMSG_ERROR in *error). */
struct tdrv_family_info {
	int error;
	unsigned int id, version, hdrsize, maxattr, n_ops, mcgrp_id;
	char mcgrp_name[16];
};
void tdrv_mod_getfamily(const char *family, struct tdrv_family_info *out);
/* Sends a DRBD admin command (drbd_genl.h numbering) the way drbdsetup-84
 * does: genlmsghdr + drbd_genlmsghdr{minor} + CFG_CONTEXT{resource name,
 * volume (if >= 0)}.  Returns the reply's ret_code (101 = NO_ERROR), or
 * -errno from an NLMSG_ERROR. */
int tdrv_mod_adm(unsigned int cmd, unsigned int minor, const char *resource, int volume);
/* DRBD_ADM_ATTACH with a disk_conf (backing device, meta device, meta
 * index: -1 = internal, DRBD_MD_INDEX_FLEX_INT), as drbdsetup attach. */
int tdrv_mod_attach(unsigned int minor, const char *resource, int volume, const char *backing, const char *meta,
		    int meta_idx);
/* DRBD_ADM_PRIMARY; @force sets set_role_parms.assume_uptodate
 * (drbdsetup primary --force). */
int tdrv_mod_primary(unsigned int minor, const char *resource, int force);
/* DRBD_ADM_RESIZE; @assume_peer_has_space sets resize_parms.resize_force
 * (drbdsetup resize --assume-peer-has-space: grow while disconnected). */
int tdrv_mod_resize(unsigned int minor, const char *resource, int assume_peer_has_space);
/* Sends GET_STATUS with NLM_F_DUMP (what drbdsetup show/down/adjust do
 * first) and records every reply message: one per configured minor, then
 * NLMSG_DONE carrying 0 or -errno. */
#define TDRV_DUMP_MAX 8
struct tdrv_dump_result {
	int error;        /* from an NLMSG_ERROR, if any */
	int done;         /* NLMSG_DONE seen */
	int done_error;   /* its payload */
	int multi;        /* every data message had NLM_F_MULTI */
	unsigned int cmd; /* genl cmd of the data messages */
	unsigned int n_minors;
	unsigned int minors[TDRV_DUMP_MAX];
	char resources[TDRV_DUMP_MAX][32];
};
void tdrv_mod_get_status_dump(struct tdrv_dump_result *out);
/* Whether a disk with this name is live (added). */
int tdrv_mod_disk_live(const char *name);

#ifdef __cplusplus
}
#endif
#endif
