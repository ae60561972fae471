// crypto.cpp - shash by name on OpenSSL (umc/crypto.h).
//
// The descriptor state must live in caller memory (SHASH_DESC_ON_STACK)
// and own nothing, so the OpenSSL low-level digest contexts (plain structs)
// are used rather than EVP (heap contexts).  HMAC precomputes the inner and
// outer padded-key states at setkey; a descriptor then only holds the inner
// state, and final finishes with a copy of the outer one.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/md5.h>
#include <openssl/sha.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <string>

#include "umc/crypto.h"

namespace {

union State {
	MD5_CTX md5;
	SHA_CTX sha1;
	SHA256_CTX sha256;
	SHA512_CTX sha512;
	uint32_t crc;
};
static_assert(sizeof(State) <= UMC_SHASH_MAX_DESCSIZE);

struct Algo {
	const char *name;
	unsigned digest;
	unsigned block;
	size_t state_size;
	void (*init)(State *);
	void (*update)(State *, const void *, size_t);
	void (*final)(State *, uint8_t *);
};

#define UMC_DIGEST(NAME, CTX, MEMBER, INIT, UPDATE, FINAL, DLEN, BLEN)                       \
	Algo                                                                                 \
	{                                                                                    \
		NAME, DLEN, BLEN, sizeof(CTX), [](State *s) { INIT(&s->MEMBER); },           \
			[](State *s, const void *d, size_t n) { UPDATE(&s->MEMBER, d, n); }, \
			[](State *s, uint8_t *out) { FINAL(out, &s->MEMBER); }               \
	}

const Algo kAlgos[] = {
	UMC_DIGEST("md5", MD5_CTX, md5, MD5_Init, MD5_Update, MD5_Final, 16, 64),
	UMC_DIGEST("sha1", SHA_CTX, sha1, SHA1_Init, SHA1_Update, SHA1_Final, 20, 64),
	UMC_DIGEST("sha224", SHA256_CTX, sha256, SHA224_Init, SHA224_Update, SHA224_Final, 28, 64),
	UMC_DIGEST("sha256", SHA256_CTX, sha256, SHA256_Init, SHA256_Update, SHA256_Final, 32, 64),
	UMC_DIGEST("sha384", SHA512_CTX, sha512, SHA384_Init, SHA384_Update, SHA384_Final, 48, 128),
	UMC_DIGEST("sha512", SHA512_CTX, sha512, SHA512_Init, SHA512_Update, SHA512_Final, 64, 128),
};

const Algo *find(const std::string &n)
{
	for (const Algo &a : kAlgos)
		if (n == a.name || n == std::string(a.name) + "-generic")
			return &a;
	return nullptr;
}

enum class Kind { plain, hmac, crc32c };

} // namespace

struct umc_shash {
	Kind kind;
	const Algo *algo; // plain and hmac
	std::string name;
	bool keyed = false;
	uint32_t crc_key = 0xffffffffu;
	State ipad, opad; // hmac
};

extern "C" struct umc_shash *umc_shash_alloc(const char *name, int *err)
{
	auto fail = [&](int e) -> umc_shash * {
		if (err)
			*err = e;
		return nullptr;
	};
	if (!name)
		return fail(-ENOENT);
	std::string n(name);
	Kind kind;
	const Algo *algo = nullptr;
	std::string canon;
	if (n == "crc32c" || n == "crc32c-generic" || n == "crc32c-intel") {
		kind = Kind::crc32c;
		canon = "crc32c";
	} else if (n.size() > 6 && n.compare(0, 5, "hmac(") == 0 && n.back() == ')') {
		algo = find(n.substr(5, n.size() - 6));
		if (!algo)
			return fail(-ENOENT);
		kind = Kind::hmac;
		canon = std::string("hmac(") + algo->name + ")";
	} else {
		algo = find(n);
		if (!algo)
			return fail(-ENOENT);
		kind = Kind::plain;
		canon = algo->name;
	}
	auto *t = new (std::nothrow) umc_shash;
	if (!t)
		return fail(-ENOMEM);
	t->kind = kind;
	t->algo = algo;
	t->name = canon;
	if (err)
		*err = 0;
	return t;
}

extern "C" void umc_shash_free(struct umc_shash *tfm)
{
	if (tfm) {
		// Key material must not linger in freed memory.
		std::memset(&tfm->ipad, 0, sizeof tfm->ipad);
		std::memset(&tfm->opad, 0, sizeof tfm->opad);
		delete tfm;
	}
}

extern "C" const char *umc_shash_name(const struct umc_shash *t)
{
	return t->name.c_str();
}

extern "C" unsigned int umc_shash_digestsize(const struct umc_shash *t)
{
	return t->kind == Kind::crc32c ? 4 : t->algo->digest;
}

extern "C" unsigned int umc_shash_descsize(const struct umc_shash *t)
{
	return t->kind == Kind::crc32c ? sizeof(uint32_t) : static_cast<unsigned>(t->algo->state_size);
}

extern "C" unsigned int umc_shash_blocksize(const struct umc_shash *t)
{
	return t->kind == Kind::crc32c ? 1 : t->algo->block;
}

extern "C" int umc_shash_setkey(struct umc_shash *t, const uint8_t *key, unsigned int keylen)
{
	switch (t->kind) {
	case Kind::plain:
		return -ENOSYS;
	case Kind::crc32c:
		if (keylen != 4)
			return -EINVAL;
		t->crc_key = static_cast<uint32_t>(key[0]) | static_cast<uint32_t>(key[1]) << 8 |
			     static_cast<uint32_t>(key[2]) << 16 | static_cast<uint32_t>(key[3]) << 24;
		return 0;
	case Kind::hmac:
		break;
	}
	const Algo &a = *t->algo;
	uint8_t k[128] = {};
	if (keylen > a.block) {
		State s;
		a.init(&s);
		a.update(&s, key, keylen);
		a.final(&s, k);
	} else if (keylen) {
		std::memcpy(k, key, keylen);
	}
	uint8_t pad[128];
	for (unsigned i = 0; i < a.block; i++)
		pad[i] = k[i] ^ 0x36;
	a.init(&t->ipad);
	a.update(&t->ipad, pad, a.block);
	for (unsigned i = 0; i < a.block; i++)
		pad[i] = k[i] ^ 0x5c;
	a.init(&t->opad);
	a.update(&t->opad, pad, a.block);
	std::memset(k, 0, sizeof k);
	std::memset(pad, 0, sizeof pad);
	t->keyed = true;
	return 0;
}

extern "C" int umc_shash_init(const struct umc_shash *t, void *ctx)
{
	switch (t->kind) {
	case Kind::crc32c:
		*static_cast<uint32_t *>(ctx) = t->crc_key;
		return 0;
	case Kind::plain:
		t->algo->init(static_cast<State *>(ctx));
		return 0;
	case Kind::hmac:
		if (!t->keyed)
			return -ENOKEY;
		std::memcpy(ctx, &t->ipad, t->algo->state_size);
		return 0;
	}
	return -EINVAL;
}

extern "C" int umc_shash_update(const struct umc_shash *t, void *ctx, const uint8_t *data, unsigned int len)
{
	if (t->kind == Kind::crc32c) {
		auto *c = static_cast<uint32_t *>(ctx);
		*c = umc_crc32c(*c, data, len);
		return 0;
	}
	t->algo->update(static_cast<State *>(ctx), data, len);
	return 0;
}

extern "C" int umc_shash_final(const struct umc_shash *t, void *ctx, uint8_t *out)
{
	switch (t->kind) {
	case Kind::crc32c: {
		uint32_t c = ~*static_cast<uint32_t *>(ctx);
		out[0] = static_cast<uint8_t>(c);
		out[1] = static_cast<uint8_t>(c >> 8);
		out[2] = static_cast<uint8_t>(c >> 16);
		out[3] = static_cast<uint8_t>(c >> 24);
		return 0;
	}
	case Kind::plain:
		t->algo->final(static_cast<State *>(ctx), out);
		return 0;
	case Kind::hmac: {
		const Algo &a = *t->algo;
		uint8_t inner[64];
		a.final(static_cast<State *>(ctx), inner);
		State o;
		std::memcpy(&o, &t->opad, a.state_size);
		a.update(&o, inner, a.digest);
		a.final(&o, out);
		return 0;
	}
	}
	return -EINVAL;
}

extern "C" int umc_shash_digest(const struct umc_shash *t, const uint8_t *data, unsigned int len, uint8_t *out)
{
	State s;
	int r = umc_shash_init(t, &s);
	if (r)
		return r;
	umc_shash_update(t, &s, data, len);
	return umc_shash_final(t, &s, out);
}
