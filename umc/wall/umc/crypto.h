/*
 * umc/crypto.h - synchronous hashes by name (the kernel's shash), backed by
 * OpenSSL, plus crc32c.
 *
 * Names: "crc32c", "md5", "sha1", "sha224", "sha256", "sha384", "sha512",
 * and "hmac(<one of the digests>)" (also the "-generic" driver names, e.g.
 * "sha256-generic").  Unknown names fail with -ENOENT as in the kernel.
 *
 * The hash state lives in caller memory of umc_shash_descsize() bytes
 * (<= UMC_SHASH_MAX_DESCSIZE, so SHASH_DESC_ON_STACK works) and holds no
 * host resources: abandoning a descriptor leaks nothing.  A transform is
 * shareable between threads once keyed; setkey must not race with users.
 */
#ifndef UMC_WALL_CRYPTO_H
#define UMC_WALL_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UMC_SHASH_MAX_DESCSIZE  360
#define UMC_CRYPTO_MAX_ALG_NAME 128

struct umc_shash;

/* crypto_alloc_shash(name, 0, 0): NULL with *err = -ENOENT (unknown name)
 * or -ENOMEM. */
struct umc_shash *umc_shash_alloc(const char *name, int *err);
void umc_shash_free(struct umc_shash *tfm);

const char *umc_shash_name(const struct umc_shash *tfm); /* canonical, e.g. "hmac(sha1)" */
unsigned int umc_shash_digestsize(const struct umc_shash *tfm);
unsigned int umc_shash_descsize(const struct umc_shash *tfm);
unsigned int umc_shash_blocksize(const struct umc_shash *tfm);

/* crypto_shash_setkey(): hmac takes any key length; crc32c takes a 4-byte
 * little-endian seed (-EINVAL otherwise); unkeyed hashes: -ENOSYS. */
int umc_shash_setkey(struct umc_shash *tfm, const uint8_t *key, unsigned int keylen);

/* init/update/final on a descriptor state `ctx` of descsize bytes.
 * A keyed hash without a key fails with -ENOKEY. */
int umc_shash_init(const struct umc_shash *tfm, void *ctx);
int umc_shash_update(const struct umc_shash *tfm, void *ctx, const uint8_t *data, unsigned int len);
int umc_shash_final(const struct umc_shash *tfm, void *ctx, uint8_t *out);
/* One-shot digest (no descriptor needed). */
int umc_shash_digest(const struct umc_shash *tfm, const uint8_t *data, unsigned int len, uint8_t *out);

/* The kernel's crc32c(seed, data, len): Castagnoli polynomial, reflected,
 * no pre- or post-inversion (the shash "crc32c" inverts).  SSE4.2 when the
 * CPU has it. */
uint32_t umc_crc32c(uint32_t seed, const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* UMC_WALL_CRYPTO_H */
