/* Plain-C probes of bitops and find_bit, over the stand-in walls
 * (helpers.hpp), for bitops_test.cpp. */
#ifndef TESTS_UMC_KERNEL_BITOPS_DRIVER_H
#define TESTS_UMC_KERNEL_BITOPS_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* bitops on a bitmap of `nbits` bits held in `words` unsigned longs. */
int kd_set_bit(unsigned long *words, long nr); /* set_bit; returns test_bit */
int kd_test_and_set_bit(unsigned long *words, long nr);
int kd_test_and_clear_bit(unsigned long *words, long nr);
int kd_nonatomic_test_and_set_bit(unsigned long *words, long nr);
int kd_test_and_set_bit_le(void *bytes, int nr);
int kd_test_bit_le(const void *bytes, int nr);
unsigned long kd_find_next_bit(const unsigned long *words, unsigned long size, unsigned long off);
unsigned long kd_find_next_zero_bit(const unsigned long *words, unsigned long size, unsigned long off);
unsigned long kd_find_first_bit(const unsigned long *words, unsigned long size);
unsigned long kd_find_last_bit(const unsigned long *words, unsigned long size);
unsigned long kd_find_next_bit_le(const void *bytes, unsigned long size, unsigned long off);
int kd_fls(unsigned x);
int kd_ffs(int x);
unsigned long kd_hweight_long(unsigned long w);

#ifdef __cplusplus
}
#endif
#endif
