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
