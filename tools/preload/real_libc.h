/* real_libc.h - the next definition of each libc function we wrap.
 *
 * REAL(open) is a pointer to libc's open (or to the next preloaded library's).
 * It is resolved lazily with dlsym(RTLD_NEXT) so the shim works whatever the
 * load order; resolution failure aborts with a message, since a wrapper that
 * cannot reach libc cannot keep any promise. */
#ifndef UMC_REAL_LIBC_H
#define UMC_REAL_LIBC_H

void *umc_real_symbol(const char *name, void **cache);

#define REAL(fn)                                                               \
	({                                                                     \
		static void *umc_real_##fn##_cache;                            \
		(__typeof__(&fn))umc_real_symbol(#fn, &umc_real_##fn##_cache); \
	})

#endif
