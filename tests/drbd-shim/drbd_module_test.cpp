// The whole unmodified DRBD 8.4.11 module, linked with UMC's kernel side
// into one isolated object, loaded and unloaded on the real runtime.
#include <gtest/gtest.h>

#include <string>

#include "module_driver.h"
#include "runtime_env.hpp"

extern "C" void umc_test_boot_params(struct umc_boot_params *) { umc_kernel_prepare(); }

namespace {

TEST(DrbdModule, LoadsShowsProcDrbdAnswersFamilyQueryAndUnloads) {
  ASSERT_EQ(umc_module_init(), 0);

  // What drbdadm reads to pick the 8.4 tools (research note 6.2).
  char *proc = tdrv_mod_proc("drbd");
  ASSERT_NE(proc, nullptr);
  std::string text(proc);
  tdrv_mod_free(proc);
  EXPECT_EQ(text.rfind("version: 8.4.11 (api:1/proto:86-101)\n", 0), 0u) << text;
  // Built as a module, as Debian builds it: "srcversion: <24 hex>".
  auto sv = text.find("srcversion: ");
  ASSERT_NE(sv, std::string::npos) << text;
  EXPECT_EQ(text.substr(sv + 12).find_first_not_of("0123456789ABCDEF"), 24u) << text;

  // What drbdsetup-84 checks before anything else (research note 7.1).
  tdrv_family_info fi{};
  tdrv_mod_getfamily("drbd", &fi);
  EXPECT_EQ(fi.error, 0);
  EXPECT_GE(fi.id, 0x13u);  // GENL_START_ALLOC
  EXPECT_EQ(fi.version, 1u);
  EXPECT_EQ(fi.hdrsize, 8u);
  EXPECT_EQ(fi.maxattr, 24u);
  EXPECT_GT(fi.n_ops, 30u);
  EXPECT_STREQ(fi.mcgrp_name, "events");
  EXPECT_GE(fi.mcgrp_id, 2u);

  umc_module_exit();
  tdrv_mod_getfamily("drbd", &fi);
  EXPECT_EQ(fi.error, -2);  // -ENOENT: the family is gone
  EXPECT_EQ(tdrv_mod_proc("drbd"), nullptr);
  umc_kernel_shutdown();
}

// drbdadm up's first two steps and drbdadm down (research note 7.4), sent
// as drbdsetup-84 sends them.
TEST(DrbdModule, NewResourceNewMinorShowsDeviceAndDownRemovesIt) {
  constexpr unsigned kNewMinor = 5, kNewResource = 7, kDown = 27;
  constexpr int kNoError = 101;
  ASSERT_EQ(umc_module_init(), 0);

  EXPECT_EQ(tdrv_mod_adm(kNewResource, ~0u, "r0", -1), kNoError);
  EXPECT_EQ(tdrv_mod_adm(kNewMinor, 0, "r0", 0), kNoError);
  EXPECT_TRUE(tdrv_mod_disk_live("drbd0"));
  char *proc = tdrv_mod_proc("drbd");
  ASSERT_NE(proc, nullptr);
  std::string text(proc);
  tdrv_mod_free(proc);
  // A minor with nothing configured yet (StandAlone, Secondary, Diskless).
  EXPECT_NE(text.find(" 0: cs:Unconfigured\n"), std::string::npos) << text;

  EXPECT_EQ(tdrv_mod_adm(kDown, ~0u, "r0", -1), kNoError);
  EXPECT_FALSE(tdrv_mod_disk_live("drbd0"));

  umc_module_exit();
  umc_kernel_shutdown();
}

// drbdsetup show/down/adjust start with GET_STATUS as a dump: DRBD answers
// with one NLM_F_MULTI message per minor and the genl core ends it with
// NLMSG_DONE -- before any resource exists, only the NLMSG_DONE.
TEST(DrbdModule, GetStatusDumpListsEachMinorAndEndsWithDone) {
  constexpr unsigned kNewMinor = 5, kNewResource = 7, kDown = 27, kGetStatus = 2;
  constexpr int kNoError = 101;
  ASSERT_EQ(umc_module_init(), 0);

  tdrv_dump_result empty{};
  tdrv_mod_get_status_dump(&empty);
  EXPECT_EQ(empty.error, 0);
  EXPECT_EQ(empty.done, 1);
  EXPECT_EQ(empty.done_error, 0);
  EXPECT_EQ(empty.n_minors, 0u);

  ASSERT_EQ(tdrv_mod_adm(kNewResource, ~0u, "r0", -1), kNoError);
  ASSERT_EQ(tdrv_mod_adm(kNewMinor, 0, "r0", 0), kNoError);
  ASSERT_EQ(tdrv_mod_adm(kNewMinor, 3, "r0", 1), kNoError);
  tdrv_dump_result two{};
  tdrv_mod_get_status_dump(&two);
  EXPECT_EQ(two.error, 0);
  EXPECT_EQ(two.done, 1);
  EXPECT_EQ(two.done_error, 0);
  ASSERT_EQ(two.n_minors, 2u);
  EXPECT_EQ(two.multi, 1);
  EXPECT_EQ(two.cmd, kGetStatus);
  EXPECT_EQ(two.minors[0], 0u);
  EXPECT_EQ(two.minors[1], 3u);
  EXPECT_STREQ(two.resources[0], "r0");
  EXPECT_STREQ(two.resources[1], "r0");

  EXPECT_EQ(tdrv_mod_adm(kDown, ~0u, "r0", -1), kNoError);
  umc_module_exit();
  umc_kernel_shutdown();
}

}  // namespace
