// SPDX-License-Identifier: GPL-2.0
/* Test driver: drbd_strings.c (unmodified) for named enum constants. */
#include <linux/kernel.h>
#include <linux/drbd.h>
#include "drbd_strings.h"
#include "strings_driver.h"

#define N(c)                \
	{                   \
		c, #c, NULL \
	}

static struct tdrv_named_value conns[] = {
	N(C_STANDALONE),      N(C_DISCONNECTING),   N(C_UNCONNECTED),     N(C_TIMEOUT),       N(C_BROKEN_PIPE),
	N(C_NETWORK_FAILURE), N(C_PROTOCOL_ERROR),  N(C_TEAR_DOWN),       N(C_WF_CONNECTION), N(C_WF_REPORT_PARAMS),
	N(C_CONNECTED),       N(C_STARTING_SYNC_S), N(C_STARTING_SYNC_T), N(C_WF_BITMAP_S),   N(C_WF_BITMAP_T),
	N(C_WF_SYNC_UUID),    N(C_SYNC_SOURCE),     N(C_SYNC_TARGET),     N(C_VERIFY_S),      N(C_VERIFY_T),
	N(C_PAUSED_SYNC_S),   N(C_PAUSED_SYNC_T),   N(C_AHEAD),           N(C_BEHIND),
};
static struct tdrv_named_value roles[] = {N(R_UNKNOWN), N(R_PRIMARY), N(R_SECONDARY)};
static struct tdrv_named_value disks[] = {
	N(D_DISKLESS), N(D_ATTACHING), N(D_FAILED),     N(D_NEGOTIATING), N(D_INCONSISTENT),
	N(D_OUTDATED), N(D_UNKNOWN),   N(D_CONSISTENT), N(D_UP_TO_DATE),
};
static struct tdrv_named_value errors[] = {
	N(SS_TWO_PRIMARIES),      N(SS_NO_UP_TO_DATE_DISK), N(SS_NO_LOCAL_DISK),       N(SS_NO_REMOTE_DISK),
	N(SS_CONNECTED_OUTDATES), N(SS_PRIMARY_NOP),        N(SS_RESYNC_RUNNING),      N(SS_ALREADY_STANDALONE),
	N(SS_CW_FAILED_BY_PEER),  N(SS_IS_DISKLESS),        N(SS_DEVICE_IN_USE),       N(SS_NO_NET_CONFIG),
	N(SS_NO_VERIFY_ALG),      N(SS_NEED_CONNECTION),    N(SS_LOWER_THAN_OUTDATED), N(SS_NOT_SUPPORTED),
	N(SS_IN_TRANSIENT_STATE), N(SS_CONCURRENT_ST_CHG),  N(SS_O_VOL_PEER_PRI),
};

unsigned tdrv_conn_states(const struct tdrv_named_value **out)
{
	unsigned i;
	for (i = 0; i < ARRAY_SIZE(conns); i++)
		conns[i].str = drbd_conn_str(conns[i].value);
	*out = conns;
	return ARRAY_SIZE(conns);
}

unsigned tdrv_roles(const struct tdrv_named_value **out)
{
	unsigned i;
	for (i = 0; i < ARRAY_SIZE(roles); i++)
		roles[i].str = drbd_role_str(roles[i].value);
	*out = roles;
	return ARRAY_SIZE(roles);
}

unsigned tdrv_disk_states(const struct tdrv_named_value **out)
{
	unsigned i;
	for (i = 0; i < ARRAY_SIZE(disks); i++)
		disks[i].str = drbd_disk_str(disks[i].value);
	*out = disks;
	return ARRAY_SIZE(disks);
}

unsigned tdrv_state_errors(const struct tdrv_named_value **out)
{
	unsigned i;
	for (i = 0; i < ARRAY_SIZE(errors); i++)
		errors[i].str = drbd_set_st_err_str(errors[i].value);
	*out = errors;
	return ARRAY_SIZE(errors);
}
