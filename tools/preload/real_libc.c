/* real_libc.c - resolve the libc definitions our wrappers forward to. */
#define _GNU_SOURCE
#include "real_libc.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *umc_real_symbol(const char *name, void **cache)
{
	void *fn = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
	if (fn)
		return fn;
	/* A race resolves the same symbol twice and stores the same value: harmless. */
	fn = dlsym(RTLD_NEXT, name);
	if (!fn) {
		/* No stdio: we may be inside a wrapper stdio itself called. */
		static const char msg[] = "libumc-preload: cannot resolve libc symbol ";
		(void)!write(2, msg, sizeof msg - 1);
		(void)!write(2, name, strlen(name));
		(void)!write(2, "\n", 1);
		abort();
	}
	__atomic_store_n(cache, fn, __ATOMIC_RELEASE);
	return fn;
}
