#ifndef _LINUX_CRC32C_H
#define _LINUX_CRC32C_H
#include <linux/types.h>
#include <umc/crypto.h>
/* CRC-32C (Castagnoli), seed in, no final inversion (the kernel's crc32c). */
static inline u32 crc32c(u32 crc, const void *address, unsigned int length)
{
	return umc_crc32c(crc, address, length);
}
#endif
