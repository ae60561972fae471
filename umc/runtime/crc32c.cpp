// crc32c.cpp - CRC-32C (Castagnoli), the kernel's crc32c(): reflected
// polynomial 0x82F63B78, no pre/post inversion.  Hardware CRC32 (SSE4.2)
// when the CPU has it, else a slicing-by-8 table.
#include <array>
#include <cstdint>
#include <cstring>

#include "umc/crypto.h"

namespace {

constexpr uint32_t kPoly = 0x82F63B78u;

using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables make_tables()
{
	Tables t{};
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ kPoly : c >> 1;
		t[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int s = 1; s < 8; s++)
			t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
	return t;
}

constexpr Tables kTables = make_tables();

uint32_t crc_sw(uint32_t crc, const unsigned char *p, size_t len)
{
	while (len >= 8) {
		uint64_t v;
		std::memcpy(&v, p, 8); // little-endian host
		v ^= crc;
		crc = kTables[7][v & 0xff] ^ kTables[6][(v >> 8) & 0xff] ^ kTables[5][(v >> 16) & 0xff] ^
		      kTables[4][(v >> 24) & 0xff] ^ kTables[3][(v >> 32) & 0xff] ^ kTables[2][(v >> 40) & 0xff] ^
		      kTables[1][(v >> 48) & 0xff] ^ kTables[0][v >> 56];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ kTables[0][(crc ^ *p++) & 0xff];
	return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t crc_hw(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t c = crc;
	while (len >= 8) {
		uint64_t v;
		std::memcpy(&v, p, 8);
		c = __builtin_ia32_crc32di(c, v);
		p += 8;
		len -= 8;
	}
	uint32_t c32 = static_cast<uint32_t>(c);
	while (len--)
		c32 = __builtin_ia32_crc32qi(c32, *p++);
	return c32;
}
const bool kHaveHw = __builtin_cpu_supports("sse4.2");
#endif

} // namespace

// Exposed for the tests: both paths must agree.
extern "C" uint32_t umc_crc32c_sw(uint32_t seed, const void *data, size_t len)
{
	return crc_sw(seed, static_cast<const unsigned char *>(data), len);
}

extern "C" uint32_t umc_crc32c(uint32_t seed, const void *data, size_t len)
{
	auto *p = static_cast<const unsigned char *>(data);
#if defined(__x86_64__)
	if (kHaveHw)
		return crc_hw(seed, p, len);
#endif
	return crc_sw(seed, p, len);
}
