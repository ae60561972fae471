/* Plain-C probes of module parameters as sysfs shows and stores them
 * (kernel/params.c), on the real umc runtime, for params_test.cpp. */
#ifndef TESTS_UMC_KERNEL_PARAMS_DRIVER_H
#define TESTS_UMC_KERNEL_PARAMS_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* Module parameters through umc_module_param_*: info, show as sysfs
 * ("Y\n", decimal, string), store as the kernel's param_set_* (bool
 * spellings, base-0 numbers, range and garbage -EINVAL, strings up to
 * maxlen - 1, charp copies, -EPERM without 0200).  0 = ok, else the
 * failing step. */
int ksd_module_params(void);

#ifdef __cplusplus
}
#endif
#endif
