// The host interface (umc/kernel_host.h) of the kernel side on the real
// runtime; this file also boots every test of umc_kernel_runtime_test.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>

#include "umc/runtime/helpers.hpp"
#include <umc/kernel_host.h>

// The kernel side must register its task_struct before the runtime boots.
extern "C" void umc_test_boot_params(struct umc_boot_params *)
{
	if (umc_kernel_prepare(UMC_KERNEL_HOST_VERSION) != 0)
		std::abort();
}

namespace {

// A host program compiled against another kernel_host.h is refused (this
// binary itself booted with the right version).
TEST(KernelHost, PrepareRefusesAnotherInterfaceVersion)
{
	EXPECT_EQ(umc_kernel_prepare(UMC_KERNEL_HOST_VERSION + 1), -EPROTO);
	EXPECT_EQ(umc_kernel_prepare(UMC_KERNEL_HOST_VERSION - 1), -EPROTO);
}

} // namespace
