/* Plain-C probes of THIS_MODULE's parameter records (kernel/module/main.c),
 * over the stand-in walls (helpers.hpp), for module_test.cpp. */
#ifndef TESTS_UMC_KERNEL_MODULE_DRIVER_H
#define TESTS_UMC_KERNEL_MODULE_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* module_param: the driver declares "kd_count" (int, 0644, 7) and
 * "kd_name" (string, 0444, "umc"); returns 0 when umc_module_params lists
 * them with their values, and writing through a record changes the
 * variable. */
int kd_module_params(void);

#ifdef __cplusplus
}
#endif
#endif
