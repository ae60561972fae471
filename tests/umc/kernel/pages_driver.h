/* Plain-C probes of pages: alloc_pages, virt_to_page, put_page, on the real
 * umc runtime, for pages_test.cpp. */
#ifndef TESTS_UMC_KERNEL_PAGES_DRIVER_H
#define TESTS_UMC_KERNEL_PAGES_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* alloc_pages(order) gives 2^order contiguous mapped pages, virt_to_page
 * maps back, put_page frees. 0 = ok. */
int ksd_pages(unsigned order);

#ifdef __cplusplus
}
#endif
#endif
