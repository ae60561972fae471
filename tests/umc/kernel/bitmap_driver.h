/* Plain-C probes of bitmap.c, over the stand-in walls (helpers.hpp), for
 * bitmap_test.cpp. */
#ifndef TESTS_UMC_KERNEL_BITMAP_DRIVER_H
#define TESTS_UMC_KERNEL_BITMAP_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* bitmap.c */
int kd_bitmap_parse(const char *s, unsigned long *out, int nbits);
unsigned kd_bitmap_weight(const unsigned long *b, unsigned nbits);
int kd_bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b, unsigned nbits);
int kd_bitmap_equal(const unsigned long *a, const unsigned long *b, unsigned nbits);
void kd_bitmap_set(unsigned long *map, unsigned start, unsigned len);
void kd_bitmap_clear(unsigned long *map, unsigned start, unsigned len);

#ifdef __cplusplus
}
#endif
#endif
