// Kernel-side task code (kthreads, wait queues, completions, locks, pages)
// on the real umc runtime, against kernel semantics.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>

#include "umc/runtime/helpers.hpp"
#include "sched_driver.h"

// The kernel side must register its task_struct before the runtime boots.
extern "C" void umc_test_boot_params(struct umc_boot_params *) {
  if (umc_kernel_prepare(UMC_KERNEL_HOST_VERSION) != 0) std::abort();
}

namespace {

constexpr int kERESTARTSYS = 512;

TEST(Kthread, CreatedStoppedRunsWhenWokenAndStopReturnsItsResult) {
  EXPECT_EQ(ksd_kthread_lifecycle(), 1 | 2 | 4 | 8);
}

TEST(WaitQueue, WaitEventSeesAConditionSetBeforeOrAfterItSleeps) {
  for (int i = 0; i < 50; i++) ASSERT_EQ(ksd_wait_event_wakes_waiter(), 0) << "round " << i;
}

TEST(WaitQueue, InterruptibleWaitEndsWithERESTARTSYSOnASignal) {
  EXPECT_EQ(ksd_wait_event_interrupted_by_signal(), -kERESTARTSYS);
}

TEST(Completion, TimeoutReturnsZeroAndADoneCompletionReturnsTimeLeft) {
  EXPECT_EQ(ksd_completion_timeout(), 0);
  long left = ksd_completion_done_before();
  EXPECT_GE(left, 1);
  EXPECT_LE(left, 1000);
}

TEST(Completion, CompleteAllReleasesEveryWaiter) { EXPECT_EQ(ksd_complete_all_releases(8), 8); }

TEST(Locking, MutexExcludes) { EXPECT_EQ(ksd_mutex_counter(4, 20000), 80000); }
TEST(Locking, SpinlockExcludes) { EXPECT_EQ(ksd_spinlock_counter(4, 20000), 80000); }

TEST(Pages, AllocMapsContiguousZeroedPagesAndPutPageFrees) {
  EXPECT_EQ(ksd_pages(0), 0);
  EXPECT_EQ(ksd_pages(3), 0);
}

TEST(Bio, AllocAddPagesIterateAndClone) { EXPECT_EQ(ksd_bio_alloc_add_iterate_clone(), 0); }

// The parent completes once, after all chained children, with the first error.
TEST(Bio, ChainedChildrenCompleteTheParentOnce) {
  EXPECT_EQ(ksd_bio_chain_completion(), 1 * 10 + 10);
  umc_kernel_shutdown();  // frees the default bio sets bio_alloc() made
}

TEST(Plug, CallbacksRunAtFinishOrBeforeSleeping) { EXPECT_EQ(ksd_plug_callbacks(), 0); }

TEST(Disk, MajorsDisksCapacityAndReadOnly) { EXPECT_EQ(ksd_disk_lifecycle(), 0); }

TEST(Socket, LoopbackTheWayDrbdConnects) { EXPECT_EQ(ksd_socket_loopback(), 0); }

TEST(Block, SplitSubmitAccountDiscardAndZeroout) { EXPECT_EQ(ksd_block_path(), 0); }

TEST(Genetlink, FamilyQueryDoitDumpErrorsAndMulticast) { EXPECT_EQ(ksd_genl_family(), 0); }

TEST(HostBdev, ExclusiveOpenLimitsAndIoThroughTheHost) { EXPECT_EQ(ksd_host_bdev(), 0); }

TEST(HostBdev, ClaimsFollowExclusiveOpensAndRescanChangesTheSize) { EXPECT_EQ(ksd_host_bdev_claims(), 0); }

TEST(HostBdev, PluggedRequestsMergeIntoOneHostRequest) { EXPECT_EQ(ksd_host_bdev_plug_merge(), 0); }

TEST(ModuleParams, ShowAndStoreAsSysfs) { EXPECT_EQ(ksd_module_params(), 0); }

TEST(HostDisk, ListenerLookupOpenAndRequestsAsBios) { EXPECT_EQ(ksd_host_disk_io(), 0); }

TEST(HostDisk, DeleteWaitsForCallsInsideAndTheHandleOutlivesTheDisk) { EXPECT_EQ(ksd_host_disk_delete(), 0); }

TEST(Crypto, AhashVectorsOverScatterlists) { EXPECT_EQ(ksd_ahash_vectors(), 0); }

// A host program compiled against another kernel_host.h is refused (this
// binary itself booted with the right version).
TEST(KernelHost, PrepareRefusesAnotherInterfaceVersion) {
  EXPECT_EQ(umc_kernel_prepare(UMC_KERNEL_HOST_VERSION + 1), -EPROTO);
  EXPECT_EQ(umc_kernel_prepare(UMC_KERNEL_HOST_VERSION - 1), -EPROTO);
}

}  // namespace
