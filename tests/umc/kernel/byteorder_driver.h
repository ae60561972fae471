/* Plain-C probes of byteorder and unaligned access, over the stand-in walls
 * (helpers.hpp), for byteorder_test.cpp. */
#ifndef TESTS_UMC_KERNEL_BYTEORDER_DRIVER_H
#define TESTS_UMC_KERNEL_BYTEORDER_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* byteorder and unaligned access */
unsigned kd_cpu_to_be32(unsigned x);
unsigned long long kd_be64_to_cpu(unsigned long long x);
unsigned kd_get_unaligned_be32(const void *p);
unsigned short kd_cpu_to_le16(unsigned short x);

#ifdef __cplusplus
}
#endif
#endif
