// libFuzzer target for the genetlink message path: boots mte + the umc
// runtime, loads the hosted DRBD module once, and feeds every input to
// umc_genl_rcv() as the netlink server would (tests/drbd-shim/fuzz).
// UMC_FUZZ_SEED_DIR=<dir>: write the seed corpus there first.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <mte/sys_service.h>

#include "genl_fuzz_driver.h"
#include "umc/runtime.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
	sys_service_params sp{};
	sp.log_level = SYS_LOG_OFF; // DRBD logs every refused command
	sp.leak_report = -1;
	int err = 0;
	const sys_service *sys = sys_service_open(SYS_SERVICE_VERSION, &sp, &err);
	if (!sys) {
		std::fprintf(stderr, "sys_service_open: %d\n", err);
		std::abort();
	}
	if (umc_kernel_prepare(UMC_KERNEL_HOST_VERSION) != 0)
		abort();
	umc_boot_params bp{};
	if (umc_runtime_init(sys, &bp) || umc_module_init()) {
		std::fprintf(stderr, "umc boot / DRBD module init failed\n");
		std::abort();
	}
	if (const char *dir = std::getenv("UMC_FUZZ_SEED_DIR")) {
		static unsigned char buf[4096];
		for (int i = 0;; i++) {
			unsigned long n = fz_seed(i, buf, sizeof buf);
			if (!n)
				break;
			std::string path = std::string(dir) + "/seed-" + std::to_string(i);
			if (FILE *f = std::fopen(path.c_str(), "wb")) {
				std::fwrite(buf, 1, n, f);
				std::fclose(f);
			}
		}
	}
	return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_rcv(data, size);
	return 0;
}
