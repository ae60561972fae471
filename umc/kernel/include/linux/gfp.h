#ifndef _LINUX_GFP_H
#define _LINUX_GFP_H

#include <linux/gfp_types.h>
#include <umc/mem.h>

/* May an allocation with these flags sleep? */
static inline bool gfpflags_allow_blocking(const gfp_t gfp_flags)
{
	return !!(gfp_flags & __GFP_DIRECT_RECLAIM);
}

/* The runtime's allocation flags for a gfp (see umc/mem.h). */
static inline unsigned int __umc_gfp_to_alloc_flags(gfp_t flags)
{
	return ((flags & __GFP_ZERO) ? UMC_ALLOC_ZERO : 0u) |
	       (gfpflags_allow_blocking(flags) ? 0u : UMC_ALLOC_NOWAIT);
}

#endif
