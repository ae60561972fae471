/* UMC's kernel configuration: the CONFIG_* switches hosted code tests.
 * Force-included (through linux/kconfig.h) into every kernel-side TU. */
#ifndef _UMC_GENERATED_AUTOCONF_H
#define _UMC_GENERATED_AUTOCONF_H

#define CONFIG_64BIT 1
#define CONFIG_X86_64 1
#define CONFIG_SMP 1               /* DRBD's cpu-mask code; host threads run in parallel */
#define CONFIG_NR_CPUS 64
#define CONFIG_HZ 1000
#define CONFIG_PROC_FS 1
#define CONFIG_INET 1
#define CONFIG_IPV6 1
#define CONFIG_NET 1
#define CONFIG_BLOCK 1
#define CONFIG_LRU_CACHE 1
#define CONFIG_LIBCRC32C 1
#define CONFIG_CRYPTO_HMAC 1       /* cram-hmac-alg is offered */
#define CONFIG_BLK_DEV_DRBD 1
/* Deliberately unset: CONFIG_DEBUG_FS (drbd_debugfs.c is not built),
 * CONFIG_DRBD_FAULT_INJECTION, CONFIG_LOCKDEP, CONFIG_DEBUG_LIST. */

#endif
