/* Entry points of the kernel side for the program that hosts it (not a
 * kernel header: UMC's own).  The declarations live in umc/kernel_host.h,
 * shared with the host program. */
#ifndef _LINUX_UMC_KERNEL_H
#define _LINUX_UMC_KERNEL_H
#include <umc/kernel_host.h>
#endif
