/* Synchronous message digests by name (the runtime's crypto, umc/crypto.h):
 * crc32c, md5, sha1, sha256, sha512, hmac(<any of those>).  The descriptor
 * holds the runtime's hash state in its trailing context. */
#ifndef _CRYPTO_HASH_H
#define _CRYPTO_HASH_H

#include <linux/types.h>
#include <linux/err.h>
#include <linux/string.h>
#include <linux/crypto.h>
#include <umc/crypto.h>

struct crypto_shash;   /* the runtime's umc_shash */
struct crypto_ahash;

struct shash_desc {
	struct crypto_shash *tfm;
	void *__ctx[] __aligned(16);
};

#define HASH_MAX_DIGESTSIZE 64
#define HASH_MAX_DESCSIZE (512 + sizeof(struct shash_desc))
#define SHASH_DESC_ON_STACK(shash, ctx) \
	char __##shash##_desc[HASH_MAX_DESCSIZE] __aligned(16); \
	struct shash_desc *shash = (struct shash_desc *)__##shash##_desc

static inline struct umc_shash *__umc_shash(struct crypto_shash *tfm) { return (struct umc_shash *)tfm; }

struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type, u32 mask);
static inline void crypto_free_shash(struct crypto_shash *tfm)
{
	if (!IS_ERR_OR_NULL(tfm))
		umc_shash_free(__umc_shash(tfm));
}
static inline unsigned int crypto_shash_digestsize(struct crypto_shash *tfm) { return umc_shash_digestsize(__umc_shash(tfm)); }
static inline unsigned int crypto_shash_descsize(struct crypto_shash *tfm) { return umc_shash_descsize(__umc_shash(tfm)); }
static inline unsigned int crypto_shash_blocksize(struct crypto_shash *tfm) { return umc_shash_blocksize(__umc_shash(tfm)); }
static inline const char *crypto_shash_alg_name(struct crypto_shash *tfm) { return umc_shash_name(__umc_shash(tfm)); }
static inline int crypto_shash_setkey(struct crypto_shash *tfm, const u8 *key, unsigned int keylen)
{
	return umc_shash_setkey(__umc_shash(tfm), key, keylen);
}
static inline int crypto_shash_init(struct shash_desc *desc) { return umc_shash_init(__umc_shash(desc->tfm), desc->__ctx); }
static inline int crypto_shash_update(struct shash_desc *desc, const u8 *data, unsigned int len)
{
	return umc_shash_update(__umc_shash(desc->tfm), desc->__ctx, data, len);
}
static inline int crypto_shash_final(struct shash_desc *desc, u8 *out)
{
	return umc_shash_final(__umc_shash(desc->tfm), desc->__ctx, out);
}
static inline int crypto_shash_digest(struct shash_desc *desc, const u8 *data, unsigned int len, u8 *out)
{
	return umc_shash_digest(__umc_shash(desc->tfm), data, len, out);
}
static inline void shash_desc_zero(struct shash_desc *desc)
{
	memzero_explicit(desc, sizeof(*desc) + crypto_shash_descsize(desc->tfm));
}
#endif
