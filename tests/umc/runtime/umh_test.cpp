// Usermode helpers (umc_usermode_helper, behind call_usermodehelper) against
// the kernel's contract: raw wait status, the three wait modes, the
// kernel's error for a missing program, and the environment a helper needs
// to reach the same daemon.
#include <cerrno>
#include <cstdlib>
#include <dlfcn.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.hpp"
#include "umc/runtime.h"
#include "umc/signal.h"
#include "umc/task.h"

namespace {

// DRBD's fixed environment (drbd_khelper).
char kHome[] = "HOME=/", kTerm[] = "TERM=linux", kPath[] = "PATH=/sbin:/usr/sbin:/bin:/usr/bin";
char kRes[] = "DRBD_RESOURCE=r0", kMinor[] = "DRBD_MINOR=0";
char *drbd_envp[] = {kHome, kTerm, kPath, kRes, kMinor, nullptr};

int run_sh(const char *script, int wait)
{
	char sh[] = "/bin/sh", c[] = "-c";
	std::string s(script);
	char *argv[] = {sh, c, s.data(), nullptr};
	return umc_usermode_helper("/bin/sh", argv, drbd_envp, wait);
}

TEST(Umh, WaitProcReturnsRawWaitStatus)
{
	int st = run_sh("exit 3", UMC_UMH_WAIT_PROC);
	ASSERT_GE(st, 0);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ((st >> 8) & 0xff, 3); // how DRBD decodes it
	EXPECT_EQ(run_sh("exit 0", UMC_UMH_WAIT_PROC | UMC_UMH_KILLABLE), 0);
	// The task is RUNNING again afterwards.
	EXPECT_EQ(umc_task_state(umc_current()), UMC_TASK_RUNNING);
}

// The helper does not write to the terminal (or log) of whoever started
// the process: its stdin, stdout and stderr are /dev/null.
TEST(Umh, StdioIsDevNullNotTheHostProcesss)
{
	int st = run_sh("for fd in 0 1 2; do [ \"$(readlink /proc/$$/fd/$fd)\" = /dev/null ] || exit 7; done",
			UMC_UMH_WAIT_PROC);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ((st >> 8) & 0xff, 0);
}

TEST(Umh, EnvironmentIsDrbdsPlusPreloadAndFsRoot)
{
	// A preload that exists and is harmless: this process's libc.
	Dl_info info{};
	ASSERT_NE(dladdr(reinterpret_cast<void *>(&::getpid), &info), 0);
	ASSERT_NE(info.dli_fname, nullptr);
	std::string preload = info.dli_fname;
	umc_usermode_helper_set_env(preload.c_str(), "/srv/umc-root");
	setenv("UMC_TEST_PARENT_ONLY", "1", 1); // the parent's environment is not passed
	std::string script = "[ \"$HOME\" = / ] && [ \"$TERM\" = linux ] && "
			     "[ \"$PATH\" = /sbin:/usr/sbin:/bin:/usr/bin ] && "
			     "[ \"$DRBD_RESOURCE\" = r0 ] && [ \"$DRBD_MINOR\" = 0 ] && "
			     "[ \"$LD_PRELOAD\" = '" +
			     preload +
			     "' ] && "
			     "[ \"$UMC_FS_ROOT\" = /srv/umc-root ] && "
			     "[ -z \"$UMC_TEST_PARENT_ONLY\" ] || exit 7";
	int st = run_sh(script.c_str(), UMC_UMH_WAIT_PROC);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ((st >> 8) & 0xff, 0);
	// Unset again: neither variable appears.
	umc_usermode_helper_set_env(nullptr, "");
	st = run_sh("[ -z \"${LD_PRELOAD+x}\" ] && [ -z \"${UMC_FS_ROOT+x}\" ] || exit 7", UMC_UMH_WAIT_PROC);
	EXPECT_EQ((st >> 8) & 0xff, 0);
}

TEST(Umh, ExtraVariablesAreAddedReplacedAndRemoved)
{
	char node[] = "__DRBD_NODE__=from-envp";
	char *envp[] = {kHome, node, nullptr};
	char sh[] = "/bin/sh", c[] = "-c";
	auto run = [&](const char *script) {
		std::string s(script);
		char *argv[] = {sh, c, s.data(), nullptr};
		int st = umc_usermode_helper("/bin/sh", argv, envp, UMC_UMH_WAIT_PROC);
		return WIFEXITED(st) ? (st >> 8) & 0xff : -1;
	};
	// Not set: the helper's own envp value stays.
	EXPECT_EQ(run("[ \"$__DRBD_NODE__\" = from-envp ] || exit 7"), 0);
	umc_usermode_helper_set_var("__DRBD_NODE__", "alpha");
	umc_usermode_helper_set_var("UMC_TEST_EXTRA", "x y");
	EXPECT_EQ(run("[ \"$__DRBD_NODE__\" = alpha ] && [ \"$UMC_TEST_EXTRA\" = 'x y' ] && "
		      "[ \"$(env | grep -c '^__DRBD_NODE__=')\" = 1 ] && [ \"$HOME\" = / ] || exit 7"),
		  0);
	umc_usermode_helper_set_var("__DRBD_NODE__", "beta"); // a new value replaces the old one
	EXPECT_EQ(run("[ \"$__DRBD_NODE__\" = beta ] || exit 7"), 0);
	umc_usermode_helper_set_var("bad=name", "v"); // ignored
	umc_usermode_helper_set_var("", "v");
	EXPECT_EQ(run("env | grep -q '^bad=' && exit 7; exit 0"), 0);
	umc_usermode_helper_set_var("__DRBD_NODE__", nullptr);
	umc_usermode_helper_set_var("UMC_TEST_EXTRA", "");
	EXPECT_EQ(run("[ \"$__DRBD_NODE__\" = from-envp ] && [ -z \"${UMC_TEST_EXTRA+x}\" ] || exit 7"), 0);
}

// The child blocks reading a FIFO until the test writes to it: the call must
// have returned before the child could exit.
void returns_before_child_exits(int wait)
{
	t::TempDir dir("umc-umh");
	std::string fifo = dir.file("go");
	ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
	std::string script = "read x < '" + fifo + "'; exit 0";
	EXPECT_EQ(run_sh(script.c_str(), wait), 0);
	// Opening for writing waits for the child to open it for reading (the
	// child exists and runs); then it reads and exits, reaped by umc.
	int fd = open(fifo.c_str(), O_WRONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(write(fd, "go\n", 3), 3);
	close(fd);
}

TEST(Umh, NoWaitReturnsAtOnce)
{
	returns_before_child_exits(UMC_UMH_NO_WAIT);
}
TEST(Umh, WaitExecReturnsAfterExec)
{
	returns_before_child_exits(UMC_UMH_WAIT_EXEC);
}

TEST(Umh, MissingProgramGivesKernelError)
{
	char p[] = "/nonexistent/umc-helper";
	char *argv[] = {p, nullptr};
	EXPECT_EQ(umc_usermode_helper(p, argv, drbd_envp, UMC_UMH_WAIT_PROC), -ENOENT);
	EXPECT_EQ(umc_usermode_helper(p, argv, drbd_envp, UMC_UMH_WAIT_EXEC), -ENOENT);
	EXPECT_EQ(umc_usermode_helper(p, argv, drbd_envp, UMC_UMH_NO_WAIT), 0); // as the kernel
	char dir[] = "/";
	char *argv2[] = {dir, nullptr};
	EXPECT_EQ(umc_usermode_helper(dir, argv2, drbd_envp, UMC_UMH_WAIT_PROC), -EACCES);
	EXPECT_EQ(umc_usermode_helper(p, argv, drbd_envp, 3), -EINVAL);
}

// A kthread runs a helper and gets its status, like DRBD's worker.
struct KArgs {
	int status = -1;
	uint32_t done = 0;
};
int helper_thread(void *a)
{
	auto *k = static_cast<KArgs *>(a);
	k->status = run_sh("exit 5", UMC_UMH_WAIT_PROC);
	__atomic_store_n(&k->done, 1u, __ATOMIC_RELEASE);
	umc_wake_word(&k->done, INT32_MAX);
	return 0;
}

TEST(Umh, KthreadWaitsForHelper)
{
	KArgs a;
	int err = 0;
	umc_task *t = umc_kthread_create(helper_thread, &a, "umh", &err);
	ASSERT_NE(t, nullptr) << err;
	umc_task_get(t);
	umc_task_wake(t, UMC_TASK_NORMAL);
	while (!__atomic_load_n(&a.done, __ATOMIC_ACQUIRE))
		umc_wait_word(&a.done, 0, 0);
	EXPECT_EQ((a.status >> 8) & 0xff, 5);
	EXPECT_EQ(umc_kthread_stop(t), 0);
	umc_task_put(t);
}

// UMH_WAIT_PROC sleeps UNINTERRUPTIBLE: a signal to the waiting kthread
// (which accepts SIGHUP) does not end the wait; the child's status comes back.
struct SigArgs {
	std::string fifo;
	int status = -1;
	uint32_t done = 0;
};
int sig_helper_thread(void *a)
{
	auto *k = static_cast<SigArgs *>(a);
	umc_signal_allow(1 /* SIGHUP */);
	std::string script = "read x < '" + k->fifo + "'; exit 4";
	k->status = run_sh(script.c_str(), UMC_UMH_WAIT_PROC);
	umc_signal_flush(umc_current());
	__atomic_store_n(&k->done, 1u, __ATOMIC_RELEASE);
	umc_wake_word(&k->done, INT32_MAX);
	return 0;
}

TEST(Umh, WaitProcIgnoresSignals)
{
	t::TempDir dir("umc-umh");
	SigArgs a;
	a.fifo = dir.file("go");
	ASSERT_EQ(mkfifo(a.fifo.c_str(), 0600), 0);
	int err = 0;
	umc_task *t = umc_kthread_create(sig_helper_thread, &a, "umh_sig", &err);
	ASSERT_NE(t, nullptr) << err;
	umc_task_get(t);
	umc_task_wake(t, UMC_TASK_NORMAL);
	// The open returns once the child opened the FIFO: the kthread is in
	// its wait (or about to enter it); the signal must not end it either way.
	int fd = open(a.fifo.c_str(), O_WRONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(umc_signal_send(t, 1), 0);
	EXPECT_EQ(__atomic_load_n(&a.done, __ATOMIC_ACQUIRE), 0u);
	EXPECT_EQ(write(fd, "go\n", 3), 3);
	close(fd);
	while (!__atomic_load_n(&a.done, __ATOMIC_ACQUIRE))
		umc_wait_word(&a.done, 0, 0);
	EXPECT_TRUE(WIFEXITED(a.status));
	EXPECT_EQ((a.status >> 8) & 0xff, 4);
	EXPECT_EQ(umc_kthread_stop(t), 0);
	umc_task_put(t);
}

} // namespace
