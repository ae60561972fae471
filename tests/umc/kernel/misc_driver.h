/* Plain-C probes of minmax, math, err, container_of and friends, over the
 * stand-in walls (helpers.hpp), for misc_test.cpp. */
#ifndef TESTS_UMC_KERNEL_MISC_DRIVER_H
#define TESTS_UMC_KERNEL_MISC_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* minmax/math/err/container_of/ARRAY_SIZE checks: 0 when all hold. */
int kd_misc_macros(void);

#ifdef __cplusplus
}
#endif
#endif
