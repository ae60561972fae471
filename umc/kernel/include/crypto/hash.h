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
/* ---- ahash: the same algorithms, request-based over scatterlists.  Every
 * operation completes synchronously: it returns its result and, as the
 * kernel does for synchronous completion, does not call the request's
 * callback (crypto_wait_req() callers work unchanged). ---- */
#include <linux/scatterlist.h>
#include <linux/completion.h>

#define CRYPTO_TFM_REQ_MAY_BACKLOG 0x00000400
#define CRYPTO_TFM_REQ_MAY_SLEEP 0x00000200

struct crypto_async_request;
typedef void (*crypto_completion_t)(struct crypto_async_request *req, int err);
struct crypto_async_request {
	crypto_completion_t complete;
	void *data;
	u32 flags;
};

struct crypto_ahash {
	struct umc_shash *shash;
};

struct ahash_request {
	struct crypto_async_request base;
	struct crypto_ahash *tfm;
	unsigned int nbytes;
	struct scatterlist *src;
	u8 *result;
	void *__ctx[] __aligned(16); /* the hash state (umc_shash_descsize) */
};

struct crypto_ahash *crypto_alloc_ahash(const char *alg_name, u32 type, u32 mask);
void crypto_free_ahash(struct crypto_ahash *tfm);
static inline unsigned int crypto_ahash_digestsize(struct crypto_ahash *tfm) { return umc_shash_digestsize(tfm->shash); }
static inline unsigned int crypto_ahash_blocksize(struct crypto_ahash *tfm) { return umc_shash_blocksize(tfm->shash); }
static inline unsigned int crypto_ahash_reqsize(struct crypto_ahash *tfm) { return umc_shash_descsize(tfm->shash); }
static inline const char *crypto_ahash_alg_name(struct crypto_ahash *tfm) { return umc_shash_name(tfm->shash); }
static inline int crypto_ahash_setkey(struct crypto_ahash *tfm, const u8 *key, unsigned int keylen)
{
	return umc_shash_setkey(tfm->shash, key, keylen);
}
static inline struct crypto_ahash *crypto_ahash_reqtfm(struct ahash_request *req) { return req->tfm; }

struct ahash_request *ahash_request_alloc(struct crypto_ahash *tfm, gfp_t gfp);
void ahash_request_free(struct ahash_request *req);
static inline void ahash_request_set_tfm(struct ahash_request *req, struct crypto_ahash *tfm) { req->tfm = tfm; }
static inline void ahash_request_set_callback(struct ahash_request *req, u32 flags, crypto_completion_t compl, void *data)
{
	req->base.complete = compl;
	req->base.data = data;
	req->base.flags = flags;
}
static inline void ahash_request_set_crypt(struct ahash_request *req, struct scatterlist *src, u8 *result, unsigned int nbytes)
{
	req->src = src;
	req->nbytes = nbytes;
	req->result = result;
}
int crypto_ahash_init(struct ahash_request *req);
/* Hashes req->nbytes bytes of req->src; -EINVAL if the list is shorter. */
int crypto_ahash_update(struct ahash_request *req);
int crypto_ahash_final(struct ahash_request *req);
int crypto_ahash_finup(struct ahash_request *req);
int crypto_ahash_digest(struct ahash_request *req);

/* Waiting for a request (crypto/internal: crypto_req_done + crypto_wait_req). */
struct crypto_wait {
	struct completion completion;
	int err;
};
#define DECLARE_CRYPTO_WAIT(_wait) \
	struct crypto_wait _wait = { COMPLETION_INITIALIZER_ONSTACK((_wait).completion), 0 }
static inline void crypto_init_wait(struct crypto_wait *wait) { init_completion(&wait->completion); }
void crypto_req_done(struct crypto_async_request *req, int err);
static inline int crypto_wait_req(int err, struct crypto_wait *wait)
{
	switch (err) {
	case -EINPROGRESS:
	case -EBUSY:
		wait_for_completion(&wait->completion);
		reinit_completion(&wait->completion);
		err = wait->err;
		break;
	}
	return err;
}
#endif
