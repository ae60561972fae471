/* Searching bitmaps.  Every function returns the bit number found, or @size
 * when there is none (never more than @size).  Out-of-line parts are in
 * umc/kernel/lib/find_bit.c. */
#ifndef _LINUX_FIND_H
#define _LINUX_FIND_H

#include <linux/types.h>
#include <linux/bits.h>

unsigned long _find_next_bit(const unsigned long *addr, unsigned long size, unsigned long offset);
unsigned long _find_next_zero_bit(const unsigned long *addr, unsigned long size, unsigned long offset);
unsigned long _find_next_and_bit(const unsigned long *addr1, const unsigned long *addr2,
				 unsigned long size, unsigned long offset);
unsigned long _find_first_bit(const unsigned long *addr, unsigned long size);
unsigned long _find_first_zero_bit(const unsigned long *addr, unsigned long size);
unsigned long _find_last_bit(const unsigned long *addr, unsigned long size);

static inline unsigned long find_next_bit(const unsigned long *addr, unsigned long size, unsigned long offset)
{ return _find_next_bit(addr, size, offset); }
static inline unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size, unsigned long offset)
{ return _find_next_zero_bit(addr, size, offset); }
static inline unsigned long find_next_and_bit(const unsigned long *addr1, const unsigned long *addr2,
					      unsigned long size, unsigned long offset)
{ return _find_next_and_bit(addr1, addr2, size, offset); }
static inline unsigned long find_first_bit(const unsigned long *addr, unsigned long size)
{ return _find_first_bit(addr, size); }
static inline unsigned long find_first_zero_bit(const unsigned long *addr, unsigned long size)
{ return _find_first_zero_bit(addr, size); }
static inline unsigned long find_last_bit(const unsigned long *addr, unsigned long size)
{ return _find_last_bit(addr, size); }

/* Little-endian numbering equals native numbering on this host. */
static inline unsigned long find_next_zero_bit_le(const void *addr, unsigned long size, unsigned long offset)
{ return _find_next_zero_bit((const unsigned long *)addr, size, offset); }
static inline unsigned long find_next_bit_le(const void *addr, unsigned long size, unsigned long offset)
{ return _find_next_bit((const unsigned long *)addr, size, offset); }
static inline unsigned long find_first_zero_bit_le(const void *addr, unsigned long size)
{ return _find_first_zero_bit((const unsigned long *)addr, size); }

#define for_each_set_bit(bit, addr, size) \
	for ((bit) = find_first_bit((addr), (size)); (bit) < (size); \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))
#define for_each_set_bit_from(bit, addr, size) \
	for ((bit) = find_next_bit((addr), (size), (bit)); (bit) < (size); \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))
#define for_each_clear_bit(bit, addr, size) \
	for ((bit) = find_first_zero_bit((addr), (size)); (bit) < (size); \
	     (bit) = find_next_zero_bit((addr), (size), (bit) + 1))

#endif
