/* Plain-C probes of the kernel's string and printf functions, over the
 * stand-in walls (helpers.hpp), for string_test.cpp. */
#ifndef TESTS_UMC_KERNEL_STRING_DRIVER_H
#define TESTS_UMC_KERNEL_STRING_DRIVER_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* kernel string helpers */
long kd_strscpy(char *dst, const char *src, size_t size);
int kd_sysfs_streq(const char *a, const char *b);
char *kd_strim(char *s);
int kd_scnprintf(char *buf, size_t size, int value);
int kd_snprintf(char *buf, size_t size, int value);
char *kd_kasprintf(const char *s, int v); /* free with kd_kfree */
void kd_kfree(void *p);

#ifdef __cplusplus
}
#endif
#endif
