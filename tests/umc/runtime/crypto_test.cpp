// Crypto by name against published test vectors: RFC 1321 (md5), FIPS
// 180-2 examples (sha1/256/512), RFC 2202 (hmac-sha1), RFC 4231
// (hmac-sha256), and the CRC-32C check value.
#include <cstring>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "umc/crypto.h"

extern "C" uint32_t umc_crc32c_sw(uint32_t seed, const void *data, size_t len);

namespace {

std::string hex(const uint8_t *p, size_t n)
{
	static const char *d = "0123456789abcdef";
	std::string s;
	for (size_t i = 0; i < n; i++) {
		s += d[p[i] >> 4];
		s += d[p[i] & 15];
	}
	return s;
}

std::string digest(const char *alg, const std::string &msg, const std::string &key = "", bool set_key = false)
{
	int err = 0;
	umc_shash *t = umc_shash_alloc(alg, &err);
	EXPECT_NE(t, nullptr) << alg;
	if (!t)
		return "";
	if (set_key) {
		EXPECT_EQ(umc_shash_setkey(t, reinterpret_cast<const uint8_t *>(key.data()),
					   static_cast<unsigned>(key.size())),
			  0);
	}
	// Through a descriptor on the stack, in two updates.
	alignas(16) unsigned char desc[UMC_SHASH_MAX_DESCSIZE];
	EXPECT_LE(umc_shash_descsize(t), sizeof desc);
	uint8_t out[64];
	EXPECT_EQ(umc_shash_init(t, desc), 0);
	size_t half = msg.size() / 2;
	umc_shash_update(t, desc, reinterpret_cast<const uint8_t *>(msg.data()), static_cast<unsigned>(half));
	umc_shash_update(t, desc, reinterpret_cast<const uint8_t *>(msg.data()) + half,
			 static_cast<unsigned>(msg.size() - half));
	EXPECT_EQ(umc_shash_final(t, desc, out), 0);
	std::string a = hex(out, umc_shash_digestsize(t));
	// And one-shot: must agree.
	uint8_t out2[64];
	EXPECT_EQ(umc_shash_digest(t, reinterpret_cast<const uint8_t *>(msg.data()), static_cast<unsigned>(msg.size()),
				   out2),
		  0);
	EXPECT_EQ(hex(out2, umc_shash_digestsize(t)), a);
	umc_shash_free(t);
	return a;
}

TEST(Crypto, Md5Rfc1321)
{
	EXPECT_EQ(digest("md5", ""), "d41d8cd98f00b204e9800998ecf8427e");
	EXPECT_EQ(digest("md5", "abc"), "900150983cd24fb0d6963f7d28e17f72");
	EXPECT_EQ(digest("md5", "12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
		  "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Crypto, ShaFips180)
{
	EXPECT_EQ(digest("sha1", "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
	EXPECT_EQ(digest("sha1", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
		  "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	EXPECT_EQ(digest("sha256", "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	EXPECT_EQ(digest("sha512", "abc"), "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
					   "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	EXPECT_EQ(digest("sha256-generic", "abc"), digest("sha256", "abc"));
}

TEST(Crypto, HmacSha1Rfc2202)
{
	EXPECT_EQ(digest("hmac(sha1)", "Hi There", std::string(20, '\x0b'), true),
		  "b617318655057264e28bc0b6fb378c8ef146be00");
	EXPECT_EQ(digest("hmac(sha1)", "what do ya want for nothing?", "Jefe", true),
		  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	// Key longer than the block size is hashed first (case 6).
	EXPECT_EQ(digest("hmac(sha1)", "Test Using Larger Than Block-Size Key - Hash Key First",
			 std::string(80, '\xaa'), true),
		  "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(Crypto, HmacSha256Rfc4231)
{
	EXPECT_EQ(digest("hmac(sha256)", "Hi There", std::string(20, '\x0b'), true),
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	EXPECT_EQ(digest("hmac(sha256)", "what do ya want for nothing?", "Jefe", true),
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, HmacSha256Rfc4231Case6)
{
	EXPECT_EQ(digest("hmac(sha256)", "Test Using Larger Than Block-Size Key - Hash Key First",
			 std::string(131, '\xaa'), true),
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Crypto, Crc32cCheckValue)
{
	const char *s = "123456789";
	// shash "crc32c": seed ~0, final inversion, little-endian digest.
	EXPECT_EQ(digest("crc32c", s), "839206e3");
	// The kernel's crc32c(): raw, no inversions.
	EXPECT_EQ(~umc_crc32c(~0u, s, 9), 0xE3069283u);
	EXPECT_EQ(~umc_crc32c_sw(~0u, s, 9), 0xE3069283u);
	// Hardware and table paths agree on odd lengths and offsets.
	std::vector<uint8_t> buf(4099);
	for (size_t i = 0; i < buf.size(); i++)
		buf[i] = static_cast<uint8_t>(i * 131 + 7);
	for (size_t off = 0; off < 9; off++)
		EXPECT_EQ(umc_crc32c(0, buf.data() + off, buf.size() - off),
			  umc_crc32c_sw(0, buf.data() + off, buf.size() - off));
	// Chaining equals one pass.
	EXPECT_EQ(umc_crc32c(umc_crc32c(0, buf.data(), 1000), buf.data() + 1000, 3099),
		  umc_crc32c(0, buf.data(), 4099));
}

TEST(Crypto, NamesSizesAndErrorsLikeTheKernel)
{
	int err = 0;
	EXPECT_EQ(umc_shash_alloc("nosuchalg", &err), nullptr);
	EXPECT_EQ(err, -ENOENT);
	EXPECT_EQ(umc_shash_alloc("hmac(nosuch)", &err), nullptr);
	EXPECT_EQ(err, -ENOENT);
	umc_shash *t = umc_shash_alloc("hmac(sha1)", &err);
	ASSERT_NE(t, nullptr);
	EXPECT_STREQ(umc_shash_name(t), "hmac(sha1)");
	EXPECT_EQ(umc_shash_digestsize(t), 20u);
	EXPECT_LE(umc_shash_descsize(t), static_cast<unsigned>(UMC_SHASH_MAX_DESCSIZE));
	alignas(16) unsigned char desc[UMC_SHASH_MAX_DESCSIZE];
	EXPECT_EQ(umc_shash_init(t, desc), -ENOKEY); // keyed hash without a key
	umc_shash_free(t);
	t = umc_shash_alloc("sha256", &err);
	EXPECT_EQ(umc_shash_setkey(t, reinterpret_cast<const uint8_t *>("k"), 1), -ENOSYS);
	EXPECT_EQ(umc_shash_digestsize(t), 32u);
	umc_shash_free(t);
	t = umc_shash_alloc("crc32c", &err);
	EXPECT_EQ(umc_shash_digestsize(t), 4u);
	EXPECT_EQ(umc_shash_setkey(t, reinterpret_cast<const uint8_t *>("abc"), 3), -EINVAL);
	umc_shash_free(t);
	struct {
		const char *n;
		unsigned d;
	} sizes[] = {{"md5", 16}, {"sha1", 20}, {"sha224", 28}, {"sha256", 32}, {"sha384", 48}, {"sha512", 64}};
	for (auto &s : sizes) {
		t = umc_shash_alloc(s.n, &err);
		ASSERT_NE(t, nullptr) << s.n;
		EXPECT_EQ(umc_shash_digestsize(t), s.d) << s.n;
		umc_shash_free(t);
	}
}

} // namespace
