// See helpers.hpp: a GoogleTest environment that opens sys_service and
// boots the umc runtime, and checks for leaks at the end.
#include "helpers.hpp"

#include <gtest/gtest.h>
#include <mte/sys_service.h>

#include "umc/mem.h"

extern "C" __attribute__((weak)) void umc_test_boot_params(struct umc_boot_params *) {}

namespace {

class RuntimeEnv : public ::testing::Environment {
public:
	void SetUp() override
	{
		sys_service_params sp{};
		sp.log_level = -1;
		sp.leak_report = 0;
		int err = 0;
		sys_ = sys_service_open(SYS_SERVICE_VERSION, &sp, &err);
		ASSERT_NE(sys_, nullptr) << "sys_service_open: " << err;
		umc_boot_params bp{};
		umc_test_boot_params(&bp);
		ASSERT_EQ(umc_runtime_init(sys_, &bp), 0);
	}
	void TearDown() override
	{
		umc_runtime_exit();
		EXPECT_EQ(umc_pages_in_use(), 0u) << "page frames leaked";
		sys_service_leaks leaks{};
		sys_service_close(&leaks);
		EXPECT_EQ(leaks.blocks, 0u) << "sys_service memory leaked: " << leaks.bytes << " bytes";
	}

private:
	const sys_service *sys_ = nullptr;
};

[[maybe_unused]] ::testing::Environment *const g_env = ::testing::AddGlobalTestEnvironment(new RuntimeEnv);

} // namespace
