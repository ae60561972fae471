// SPDX-License-Identifier: GPL-2.0
/* crypto_alloc_shash by name on the runtime's digests (umc/crypto.h). */
#include <crypto/hash.h>

struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type, u32 mask)
{
	int err = 0;
	struct umc_shash *tfm = umc_shash_alloc(alg_name, &err);

	if (!tfm)
		return ERR_PTR(err ? err : -ENOENT);
	return (struct crypto_shash *)tfm;
}

/* ---- ahash over the same runtime digests, completing synchronously ---- */
#include <linux/slab.h>

struct crypto_ahash *crypto_alloc_ahash(const char *alg_name, u32 type, u32 mask)
{
	struct crypto_ahash *tfm;
	int err = 0;

	tfm = kmalloc(sizeof(*tfm), GFP_KERNEL);
	if (!tfm)
		return ERR_PTR(-ENOMEM);
	tfm->shash = umc_shash_alloc(alg_name, &err);
	if (!tfm->shash) {
		kfree(tfm);
		return ERR_PTR(err ? err : -ENOENT);
	}
	return tfm;
}

void crypto_free_ahash(struct crypto_ahash *tfm)
{
	if (IS_ERR_OR_NULL(tfm))
		return;
	umc_shash_free(tfm->shash);
	kfree(tfm);
}

struct ahash_request *ahash_request_alloc(struct crypto_ahash *tfm, gfp_t gfp)
{
	struct ahash_request *req = kzalloc(sizeof(*req) + crypto_ahash_reqsize(tfm), gfp);

	if (req)
		req->tfm = tfm;
	return req;
}

void ahash_request_free(struct ahash_request *req)
{
	kfree_sensitive(req);
}

int crypto_ahash_init(struct ahash_request *req)
{
	return umc_shash_init(req->tfm->shash, req->__ctx);
}

int crypto_ahash_update(struct ahash_request *req)
{
	struct scatterlist *sg = req->src;
	unsigned int left = req->nbytes;
	int err;

	while (left) {
		unsigned int n;

		if (!sg)
			return -EINVAL;
		n = min(left, sg->length);
		if (n) {
			err = umc_shash_update(req->tfm->shash, req->__ctx, sg_virt(sg), n);
			if (err)
				return err;
		}
		left -= n;
		sg = sg_next(sg);
	}
	return 0;
}

int crypto_ahash_final(struct ahash_request *req)
{
	return umc_shash_final(req->tfm->shash, req->__ctx, req->result);
}

int crypto_ahash_finup(struct ahash_request *req)
{
	int err = crypto_ahash_update(req);

	return err ? err : crypto_ahash_final(req);
}

int crypto_ahash_digest(struct ahash_request *req)
{
	int err = crypto_ahash_init(req);

	return err ? err : crypto_ahash_finup(req);
}

void crypto_req_done(struct crypto_async_request *req, int err)
{
	struct crypto_wait *wait = req->data;

	if (err == -EINPROGRESS)
		return;
	wait->err = err;
	complete(&wait->completion);
}
