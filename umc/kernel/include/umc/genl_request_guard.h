/* Request guards (umc's own, not a Linux header): a hosted module's glue may
 * refuse generic netlink requests that the module, never edited, is known
 * to mishandle.  The core (net/netlink/genetlink.c) asks every registered
 * guard before it dispatches a request, after the permission check; the
 * first non-zero answer (-errno) is the request's NLMSG_ERROR.
 *
 * Register one with UMC_GENL_REQUEST_GUARD(fn) at file scope in the glue:
 * the registration is a record in a linker section, so it exists exactly
 * when the glue is linked into the kernel object, with no call at run time.
 * A guard runs in the requesting task (process context) with no lock held. */
#ifndef UMC_GENL_REQUEST_GUARD_H
#define UMC_GENL_REQUEST_GUARD_H

struct genl_family;
struct nlmsghdr;

typedef int (*umc_genl_request_guard_fn)(const struct genl_family *family, const struct nlmsghdr *nlh);

#define UMC_GENL_REQUEST_GUARD(fn)                                                           \
	static const umc_genl_request_guard_fn __umc_genl_guard_##fn                          \
		__attribute__((used, section("umc_genl_request_guards"), aligned(sizeof(void *)))) = fn

#endif
