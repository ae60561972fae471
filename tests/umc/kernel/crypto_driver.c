// SPDX-License-Identifier: GPL-2.0
/* See crypto_driver.h. */
#include <crypto/hash.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include "crypto_driver.h"

static int hex_eq(const u8 *d, const char *hex, unsigned int n)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < n; i++)
		if (hex[2 * i] != digits[d[i] >> 4] || hex[2 * i + 1] != digits[d[i] & 15])
			return 0;
	return hex[2 * n] == 0;
}

static int cb_calls;
static void count_cb(struct crypto_async_request *req, int err)
{
	cb_calls++;
}

/* One-shot digest of @len bytes of @sg with @name (keyed if @key). */
static int ahash_one(const char *name, const char *key, struct scatterlist *sg, unsigned int len, const char *hex)
{
	struct crypto_ahash *tfm = crypto_alloc_ahash(name, 0, CRYPTO_ALG_ASYNC);
	struct ahash_request *req;
	u8 out[HASH_MAX_DIGESTSIZE];
	DECLARE_CRYPTO_WAIT(wait);
	int ok;

	if (IS_ERR(tfm))
		return 0;
	if (key && crypto_ahash_setkey(tfm, (const u8 *)key, strlen(key))) {
		crypto_free_ahash(tfm);
		return 0;
	}
	req = ahash_request_alloc(tfm, GFP_KERNEL);
	if (!req) {
		crypto_free_ahash(tfm);
		return 0;
	}
	ahash_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG | CRYPTO_TFM_REQ_MAY_SLEEP, crypto_req_done, &wait);
	ahash_request_set_crypt(req, sg, out, len);
	ok = crypto_wait_req(crypto_ahash_digest(req), &wait) == 0 && hex_eq(out, hex, crypto_ahash_digestsize(tfm));
	ahash_request_free(req);
	crypto_free_ahash(tfm);
	return ok;
}

int ksd_ahash_vectors(void)
{
	static const char abc[] = "abc";
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char jefe[] = "what do ya want for nothing?"; /* on the stack */
	struct scatterlist one, a[2], b[2], *sg;
	struct crypto_ahash *tfm;
	struct ahash_request *req;
	struct page *page;
	u8 out[HASH_MAX_DIGESTSIZE];
	char *heap;
	int ret = 0;

	/* FIPS 180-2 / RFC 1321, one entry of static data. */
	sg_init_one(&one, abc, 3);
	if (!ahash_one("sha256", NULL, &one, 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
		return 1;
	if (!ahash_one("md5", NULL, &one, 3, "900150983cd24fb0d6963f7d28e17f72"))
		return 2;
	/* RFC 2202 / RFC 4231 test case 2 ("Jefe"), from the stack. */
	sg_init_one(&one, jefe, strlen(jefe));
	if (!ahash_one("hmac(md5)", "Jefe", &one, strlen(jefe), "750c783e6ab0b503eaa86e310a5db738"))
		return 3;
	if (!ahash_one("hmac(sha256)", "Jefe", &one, strlen(jefe),
		       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
		return 4;
	/* A chained list: kmalloc'ed head piece, then a page frame; the last
	 * entry is longer than nbytes (only nbytes are hashed). */
	heap = kmalloc(10, GFP_KERNEL);
	page = alloc_page(GFP_KERNEL);
	if (!heap || !page)
		return 5;
	memcpy(heap, two_blocks, 10);
	memcpy((char *)page_address(page) + 100, two_blocks + 10, sizeof(two_blocks) - 10);
	sg_init_table(a, 2);
	sg_set_buf(&a[0], heap, 10);
	sg_init_table(b, 1);
	sg_set_page(&b[0], page, 200, 100);
	sg_chain(a, 2, b);
	if (sg_page(&b[0]) != page || sg_virt(&b[0]) != (char *)page_address(page) + 100)
		return 6;
	if (!ahash_one("sha256", NULL, a, sizeof(two_blocks) - 1,
		       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"))
		return 7;
	/* init/update/final in pieces, callback never called (synchronous). */
	tfm = crypto_alloc_ahash("sha1", 0, 0);
	if (IS_ERR(tfm) || crypto_ahash_digestsize(tfm) != 20 || strcmp(crypto_ahash_alg_name(tfm), "sha1"))
		return 8;
	req = ahash_request_alloc(tfm, GFP_KERNEL);
	if (!req)
		return 9;
	ahash_request_set_callback(req, 0, count_cb, NULL);
	sg = a;
	ahash_request_set_crypt(req, sg, out, 10);
	if (crypto_ahash_init(req) || crypto_ahash_update(req))
		ret = 10;
	ahash_request_set_crypt(req, b, out, sizeof(two_blocks) - 11);
	if (!ret && (crypto_ahash_update(req) || crypto_ahash_final(req)))
		ret = 11;
	if (!ret && !hex_eq(out, "84983e441c3bd26ebaae4aa1f95129e5e54670f1", 20)) /* FIPS 180-2 */
		ret = 12;
	/* nbytes beyond the list. */
	ahash_request_set_crypt(req, &one, out, 1000);
	if (!ret && crypto_ahash_digest(req) != -EINVAL)
		ret = 13;
	if (!ret && cb_calls)
		ret = 14;
	ahash_request_free(req);
	crypto_free_ahash(tfm);
	kfree(heap);
	__free_page(page);
	if (ret)
		return ret;
	/* Names and keys as the shash: unknown -ENOENT, no key -ENOKEY. */
	if (PTR_ERR(crypto_alloc_ahash("no-such-hash", 0, 0)) != -ENOENT)
		return 15;
	tfm = crypto_alloc_ahash("hmac(sha1)", 0, 0);
	if (IS_ERR(tfm))
		return 16;
	req = ahash_request_alloc(tfm, GFP_KERNEL);
	ahash_request_set_crypt(req, &one, out, 1);
	if (crypto_ahash_digest(req) != -ENOKEY)
		ret = 17;
	ahash_request_free(req);
	crypto_free_ahash(tfm);
	return ret;
}
