// umh.cpp - usermode helpers (call_usermodehelper) with posix_spawn.
//
// posix_spawn is safe in a multithreaded process (glibc: clone(CLONE_VM |
// CLONE_VFORK) + exec, exec errors reported back to the parent).  The
// child gets an empty signal mask and default dispositions, whatever the
// spawning thread had.  Children nobody waits for (NO_WAIT, WAIT_EXEC) are
// reaped by a detached host thread each, so no zombies are left behind.
#include <cerrno>
#include <fcntl.h>
#include <cstring>
#include <mutex>
#include <signal.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <utility>
#include <vector>

#include "runtime.hpp"
#include "umc/runtime.h"
#include "umc/task.h"

namespace umc {
namespace {

std::mutex g_env_mutex;
std::string g_ld_preload; // guarded by g_env_mutex
std::string g_fs_root;    // guarded by g_env_mutex
// umc_usermode_helper_set_var: name, value; guarded by g_env_mutex
std::vector<std::pair<std::string, std::string>> g_vars;

void reap_in_background(pid_t pid)
{
	std::thread([pid] {
		int status;
		while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
		}
	}).detach();
}

} // namespace
} // namespace umc

using namespace umc;

extern "C" void umc_usermode_helper_set_env(const char *ld_preload, const char *fs_root)
{
	std::lock_guard<std::mutex> lock(g_env_mutex);
	g_ld_preload = ld_preload ? ld_preload : "";
	g_fs_root = fs_root ? fs_root : "";
}

extern "C" void umc_usermode_helper_set_var(const char *name, const char *value)
{
	if (!name || !*name || std::strchr(name, '='))
		return;
	std::lock_guard<std::mutex> lock(g_env_mutex);
	for (auto it = g_vars.begin(); it != g_vars.end(); ++it) {
		if (it->first == name) {
			g_vars.erase(it);
			break;
		}
	}
	if (value && *value)
		g_vars.emplace_back(name, value);
}

extern "C" int umc_usermode_helper(const char *path, char *const argv[], char *const envp[], int wait)
{
	if (!path || !argv)
		return -EINVAL;
	const int mode = wait & ~UMC_UMH_KILLABLE;
	if (mode != UMC_UMH_NO_WAIT && mode != UMC_UMH_WAIT_EXEC && mode != UMC_UMH_WAIT_PROC)
		return -EINVAL;

	// envp as given, minus what we set, plus LD_PRELOAD / UMC_FS_ROOT and
	// the set_var variables.
	std::vector<std::string> extra;
	{
		std::lock_guard<std::mutex> lock(g_env_mutex);
		if (!g_ld_preload.empty())
			extra.push_back("LD_PRELOAD=" + g_ld_preload);
		if (!g_fs_root.empty())
			extra.push_back("UMC_FS_ROOT=" + g_fs_root);
		for (const auto &[name, value] : g_vars)
			extra.push_back(name + "=" + value);
	}
	// "NAME=" of an extra variable is a prefix of the envp entry it replaces.
	auto replaced = [&extra](const char *entry) {
		for (const auto &e : extra) {
			size_t n = e.find('=') + 1;
			if (!std::strncmp(entry, e.c_str(), n))
				return true;
		}
		return false;
	};
	std::vector<char *> env;
	for (size_t i = 0; envp && envp[i]; i++) {
		if (replaced(envp[i]))
			continue;
		env.push_back(envp[i]);
	}
	for (auto &e : extra)
		env.push_back(e.data());
	env.push_back(nullptr);

	posix_spawnattr_t attr;
	if (int e = posix_spawnattr_init(&attr))
		return -e;
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

	// A kernel's helper shares no terminal with whoever started the kernel:
	// stdin, stdout and stderr are /dev/null, not the host process's.
	posix_spawn_file_actions_t fa;
	if (int e = posix_spawn_file_actions_init(&fa)) {
		posix_spawnattr_destroy(&attr);
		return -e;
	}
	for (int fd = 0; fd <= 2; fd++)
		posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY, 0);

	pid_t pid = -1;
	int e = posix_spawn(&pid, path, &fa, &attr, argv, env.data());
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (e) {
		// glibc reports exec failures from the child; the child is gone.
		if (mode == UMC_UMH_NO_WAIT) {
			log(SYS_LOG_ERROR, "usermode helper %s: spawn failed: %s", path, std::strerror(e));
			return 0;
		}
		return -e;
	}
	if (mode != UMC_UMH_WAIT_PROC) {
		reap_in_background(pid);
		return 0;
	}

	// UMH_WAIT_PROC: the task sleeps uninterruptibly (signals are ignored)
	// in its own host thread until the child exits.
	umc_set_current_state(UMC_TASK_UNINTERRUPTIBLE);
	int status = 0;
	pid_t r;
	while ((r = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
	}
	umc_set_current_state(UMC_TASK_RUNNING);
	if (r < 0)
		return -errno;
	return status;
}
