// runtime_env.hpp - every runtime test binary boots mte + umc once per
// process (ctest runs each TEST in its own process).
#pragma once

#include <cstdint>

#include "umc/runtime.h"

// A test file may define this to boot with other parameters (weak default).
extern "C" void umc_test_boot_params(struct umc_boot_params *p);

namespace umctest {
// Monotonic ms since an arbitrary point (for measuring, never for syncing).
uint64_t now_ms();
} // namespace umctest
