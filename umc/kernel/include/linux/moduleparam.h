/* Module parameters become records in the section "umc_module_params",
 * which the shim enumerates (and fuse_nodes shows under
 * /sys/module/<module>/parameters/).  The value is the variable itself:
 * writing a record writes the driver's variable, as the kernel does. */
#ifndef _LINUX_MODULEPARAM_H
#define _LINUX_MODULEPARAM_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stringify.h>

enum umc_param_type {
	UMC_PARAM_BOOL,
	UMC_PARAM_INT,
	UMC_PARAM_UINT,
	UMC_PARAM_ULONG,
	UMC_PARAM_CHARP,   /* char *: points at a string */
	UMC_PARAM_STRING,  /* char[maxlen]: module_param_string */
};

struct umc_module_param {
	const char *name;
	enum umc_param_type type;
	void *value;
	unsigned int maxlen;  /* UMC_PARAM_STRING only */
	unsigned int perm;
	const char *description;
};

#define __umc_param_type_bool UMC_PARAM_BOOL
#define __umc_param_type_int UMC_PARAM_INT
#define __umc_param_type_uint UMC_PARAM_UINT
#define __umc_param_type_ulong UMC_PARAM_ULONG
#define __umc_param_type_charp UMC_PARAM_CHARP

#define __umc_param_record(pname, ptype, pvalue, pmaxlen, pperm)                               \
	static const struct umc_module_param __umc_param_##pname                                \
		__used __section("umc_module_params") __aligned(sizeof(void *)) = {             \
		.name = #pname, .type = (ptype), .value = (void *)(pvalue),                     \
		.maxlen = (pmaxlen), .perm = (pperm) }

#define module_param_named(name, value, type, perm) \
	__umc_param_record(name, __umc_param_type_##type, &(value), 0, perm)
#define module_param(name, type, perm) module_param_named(name, name, type, perm)
#define module_param_string(name, string, len, perm) \
	__umc_param_record(name, UMC_PARAM_STRING, string, len, perm)
#define module_param_array(name, type, nump, perm)

const struct umc_module_param *umc_kernel_module_params(unsigned int *count);
#define MODULE_PARM_DESC(_parm, desc)

#endif
