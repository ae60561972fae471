/* Plain-C probes of crypto: ahash over scatterlists, on the real umc
 * runtime, for crypto_test.cpp. */
#ifndef TESTS_UMC_KERNEL_CRYPTO_DRIVER_H
#define TESTS_UMC_KERNEL_CRYPTO_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* ahash by name over scatterlists (kmalloc, stack and page-frame buffers,
 * chained lists) against RFC 1321 / FIPS 180-2 / RFC 2202 / RFC 4231
 * vectors; names, -ENOENT, -ENOKEY, synchronous completion.  0 or the
 * number of the first failed check. */
int ksd_ahash_vectors(void);

#ifdef __cplusplus
}
#endif
#endif
