/* Plain-C probes of the slab contract (kmalloc family, kmem_cache), over the
 * stand-in walls (helpers.hpp), for slab_test.cpp. */
#ifndef TESTS_UMC_KERNEL_SLAB_DRIVER_H
#define TESTS_UMC_KERNEL_SLAB_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* kmalloc(0) is ZERO_SIZE_PTR, kfree of it and of NULL do nothing;
 * kzalloc zeroes; krealloc keeps contents. 0 when all hold. */
int kd_slab_contract(void);

/* kmem_cache objects are at least the cache size, ctor-initialised. */
int kd_kmem_cache_contract(void);

#ifdef __cplusplus
}
#endif
#endif
