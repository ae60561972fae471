/* Section annotations are dropped (nothing is discarded after init), and
 * module_init/module_exit record the functions for the shim to call. */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H
#include <linux/compiler.h>
#include <linux/types.h>

#define __init
#define __exit
#define __initdata
#define __initconst
#define __exitdata
#define __init_or_module
#define __ref
#define __refdata
#define __meminit
#define __read_mostly
#define __ro_after_init

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

/* The module's entry points, picked up by drbd-shim's module glue (which
 * names them by these symbols); one module per link unit. */
#define module_init(initfn)                                             \
	int umc_module_init(void);                                      \
	int umc_module_init(void) { return initfn(); }
#define module_exit(exitfn)                                             \
	void umc_module_exit(void);                                     \
	void umc_module_exit(void) { exitfn(); }
#define late_initcall(fn) module_init(fn)
#define core_initcall(fn) module_init(fn)
#define subsys_initcall(fn) module_init(fn)
#define device_initcall(fn) module_init(fn)

#endif
