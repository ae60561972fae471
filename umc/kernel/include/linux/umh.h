/* Usermode helpers run real programs (DRBD calls /sbin/drbdadm). */
#ifndef _LINUX_UMH_H
#define _LINUX_UMH_H
#include <linux/gfp.h>
#define UMH_NO_WAIT 0x00
#define UMH_WAIT_EXEC 0x01
#define UMH_WAIT_PROC 0x02
#define UMH_KILLABLE 0x04
/* Returns the raw wait status of the helper (or -errno). */
int call_usermodehelper(const char *path, char **argv, char **envp, int wait);
#endif
