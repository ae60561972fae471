#include "hosted_drbd.hpp"

#include "backing_disk.hpp"
#include "drbd_minor_device.hpp"

#include <mte/sys_service.h>
#include <umc/kernel_host.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

extern char **environ;

namespace umcd {
namespace {

void log(const sys_service *sys, int level, const std::string &msg)
{
	sys->log_write(level, "umcd", msg.data(), msg.size());
}

// Minor nodes by disk name.  The listener gets no context of ours beyond
// the HostedDrbd pointer, and the devices must outlive their FUSE nodes'
// last release, so they are shared.
std::map<std::string, std::shared_ptr<DrbdMinorDevice>> g_minor_devices;
// Those of a module that could not be unloaded (HostedDrbd::stop); kept
// reachable, never freed.
std::map<std::string, std::shared_ptr<DrbdMinorDevice>> *g_kept_minor_devices = nullptr;

std::string exe_dir()
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return "";
	buf[n] = 0;
	std::string p(buf);
	return p.substr(0, p.rfind('/'));
}

// libumc-preload.so for DRBD's usermode helpers (drbdadm fence-peer,
// before-resync-target, ...), so that they reach this daemon: $UMC_PRELOAD_LIB,
// else where the build or the install puts it next to umcd.
std::string find_preload()
{
	if (const char *env = std::getenv("UMC_PRELOAD_LIB"); env && *env)
		return env;
	std::string dir = exe_dir();
	for (const char *rel :
	     {"/../preload/libumc-preload.so", "/libumc-preload.so", "/../lib/umc/libumc-preload.so"}) {
		std::string p = dir + rel;
		char real[PATH_MAX];
		if (access(p.c_str(), R_OK) == 0 && realpath(p.c_str(), real))
			return real;
	}
	return "";
}

// Requests that fail while a minor is open (DRBD: "Device is held open by
// someone"): SECONDARY 15, DOWN 27, DEL_MINOR 6, DETACH 18 (drbd_genl.h).
// Before those, let releases that FUSE has not delivered yet arrive (see
// wait_minor_releases); a device that stays open is refused by DRBD as
// usual, half a second later.
void settle_before(const void *data, size_t len)
{
	constexpr uint16_t kFirstFamilyId = 0x13; // GENL_START_ALLOC: drbd is the only family
	if (len < 16 + 4)
		return;
	uint16_t type;
	uint8_t cmd;
	std::memcpy(&type, static_cast<const char *>(data) + 4, sizeof type);
	std::memcpy(&cmd, static_cast<const char *>(data) + 16, sizeof cmd);
	if (type < kFirstFamilyId)
		return;
	if (cmd == 15 || cmd == 27 || cmd == 6 || cmd == 18)
		wait_minor_releases(500);
}

} // namespace

std::string HostedDrbd::fs_path(const std::string &name) const
{
	return root_ + "/dev/" + name;
}

void HostedDrbd::detach_tree()
{
	std::lock_guard lk(minors_mu_);
	tree_ = nullptr;
}

std::string HostedDrbd::start()
{
	root_ = tree_->root();
	if (umc_kernel_prepare(UMC_KERNEL_HOST_VERSION) < 0)
		return "the DRBD kernel object was built against another umc/kernel_host.h than umcd (umcd has "
		       "version " +
		       std::to_string(UMC_KERNEL_HOST_VERSION) + ")";
	umc_boot_params params{};
	if (int rc = umc_runtime_init(sys_, &params); rc < 0)
		return std::string("cannot start the umc runtime: ") + std::strerror(-rc);
	runtime_up_ = true;

	preload_ = find_preload();
	if (preload_.empty())
		log(sys_, SYS_LOG_WARN,
		    "libumc-preload.so not found (set UMC_PRELOAD_LIB): DRBD's usermode helpers "
		    "will not reach this daemon");
	umc_usermode_helper_set_env(preload_.c_str(), root_.c_str());
	// drbdadm in a handler (fence-peer, split-brain, ...) must find this
	// node's `on` section, whatever `uname -n` says.
	umc_usermode_helper_set_var("__DRBD_NODE__", node_name_.c_str());

	static umc_disk_listener listener;
	listener.added = &HostedDrbd::disk_added;
	listener.removed = &HostedDrbd::disk_removed;
	listener.ctx = this;
	umc_disk_set_listener(&listener);

	if (int rc = umc_module_init(); rc < 0)
		return std::string("DRBD module init failed: ") + std::strerror(-rc);
	module_loaded_ = true;

	umc::fuse::TextFile proc;
	proc.show = [] {
		long len = 0;
		char *text = umc_proc_render("drbd", &len);
		if (!text)
			return std::string();
		std::string out(text, static_cast<size_t>(len));
		umc_kernel_free(text);
		return out;
	};
	tree_->add_text_file("proc/drbd", std::move(proc));
	publish_parameters();

	char real[PATH_MAX];
	std::string root = realpath(tree_->root().c_str(), real) ? real : tree_->root();
	control_ = std::make_unique<ControlSocket>(sys_);
	control_->set_request_hook([](const void *data, size_t len) { settle_before(data, len); });
	if (std::string why = control_->start("umc-ctl:" + root); !why.empty())
		return why;
	log(sys_, SYS_LOG_INFO, "hosting DRBD 8.4.11: proc/drbd, sys/module/drbd/parameters, dev/drbd<minor>");
	return "";
}

void HostedDrbd::publish_parameters()
{
	unsigned count = umc_module_param_count();
	for (unsigned i = 0; i < count; ++i) {
		const char *name = nullptr;
		unsigned perm = 0;
		if (umc_module_param_info(i, &name, &perm) < 0 || !perm)
			continue; // 0: not in sysfs
		umc::fuse::TextFile f;
		f.show = [i] {
			char buf[4096];
			int n = umc_module_param_show(i, buf, sizeof buf);
			return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
		};
		if (perm & 0200)
			f.store = [i](std::string_view v) { return umc_module_param_store(i, v.data(), v.size()); };
		f.mode = perm & 0777;
		tree_->add_module_parameter("drbd", name, std::move(f));
	}
}

std::string HostedDrbd::add_backing_disk(const std::string &name, bio_device *device)
{
	std::string path = fs_path(name);
	if (int rc = register_backing_disk(path, device); rc < 0)
		return "cannot offer dev/" + name + " to DRBD: " + std::strerror(-rc);
	backing_paths_.push_back(path);
	return "";
}

bool HostedDrbd::backing_disk_claimed(const std::string &name) const
{
	return umc_bdev_claimed(fs_path(name).c_str()) == 1;
}

void HostedDrbd::disk_added(void *ctx, const char *name, unsigned, unsigned)
{
	auto *self = static_cast<HostedDrbd *>(ctx);
	std::lock_guard lk(self->minors_mu_);
	self->minors_[name] = true;
	if (!self->tree_)
		return;
	auto dev = std::make_shared<DrbdMinorDevice>(name);
	int rc = self->tree_->add_block_device(name, dev);
	if (rc == -EEXIST && self->tree_->remove_block_device(name) == 0) // a deleted minor's node, now closed
		rc = self->tree_->add_block_device(name, dev);
	if (rc < 0) {
		log(self->sys_, SYS_LOG_ERROR, std::string("cannot publish dev/") + name + ": " + std::strerror(-rc));
		return;
	}
	g_minor_devices[name] = dev;
}

void HostedDrbd::disk_removed(void *ctx, const char *name)
{
	auto *self = static_cast<HostedDrbd *>(ctx);
	std::lock_guard lk(self->minors_mu_);
	if (auto it = g_minor_devices.find(name); it != g_minor_devices.end()) {
		it->second->mark_deleted();
		g_minor_devices.erase(it);
	}
	self->minors_.erase(name);
	if (!self->tree_)
		return;
	// Still open (a reader holds it): the node stays until it is closed and
	// fails every request with ENXIO meanwhile; a new minor of the same name
	// replaces it.
	if (int rc = self->tree_->remove_block_device(name); rc < 0 && rc != -EBUSY)
		log(self->sys_, SYS_LOG_WARN, std::string("dev/") + name + ": remove: " + std::strerror(-rc));
}

// Run /lib/drbd/drbdsetup-84 with `args` against this daemon (preload, our
// root), output in *text; its exit code, or -1 (could not run, killed after
// `timeout_s`).
int HostedDrbd::run_drbdsetup(const std::vector<std::string> &args, std::string *text, int timeout_s)
{
	if (preload_.empty()) {
		*text = "libumc-preload.so not found";
		return -1;
	}
	std::string env_preload = "LD_PRELOAD=" + preload_;
	std::string env_root = "UMC_FS_ROOT=" + root_;
	std::string env_node = "__DRBD_NODE__=" + node_name_;
	const char *tool = "/lib/drbd/drbdsetup-84";
	std::vector<char *> argv{const_cast<char *>(tool)};
	for (const auto &a : args)
		argv.push_back(const_cast<char *>(a.c_str()));
	argv.push_back(nullptr);
	char *envp[] = {const_cast<char *>(env_preload.c_str()), const_cast<char *>(env_root.c_str()),
			const_cast<char *>(env_node.c_str()), const_cast<char *>("PATH=/usr/sbin:/usr/bin:/sbin:/bin"),
			nullptr};
	int out[2];
	if (pipe2(out, O_CLOEXEC) < 0) {
		*text = std::strerror(errno);
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, out[1], 2);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	pid_t pid = 0;
	int rc = posix_spawn(&pid, tool, &fa, nullptr, argv.data(), envp);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	if (rc != 0) {
		close(out[0]);
		*text = std::string(tool) + ": " + std::strerror(rc);
		return -1;
	}
	text->clear();
	bool killed = false;
	const uint64_t deadline = sys_->time_mono_ns() + static_cast<uint64_t>(timeout_s) * 1000000000ull;
	for (;;) {
		uint64_t now = sys_->time_mono_ns();
		pollfd p{out[0], POLLIN, 0};
		if (now >= deadline || poll(&p, 1, static_cast<int>((deadline - now) / 1000000 + 1)) <= 0) {
			kill(pid, SIGKILL);
			killed = true;
			break;
		}
		char buf[1024];
		ssize_t n = read(out[0], buf, sizeof buf);
		if (n <= 0)
			break;
		if (text->size() < 65536)
			text->append(buf, static_cast<size_t>(n));
	}
	close(out[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	if (killed) {
		*text += "\n(killed after " + std::to_string(timeout_s) + " s)";
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void HostedDrbd::down_all()
{
	{
		std::lock_guard lk(minors_mu_);
		if (minors_.empty())
			return;
	}
	// drbdsetup-84 has no "down all": name every resource, as drbdadm would.
	std::string text;
	if (int rc = run_drbdsetup({"status"}, &text, 30); rc != 0) {
		log(sys_, SYS_LOG_ERROR, "drbdsetup-84 status failed (" + std::to_string(rc) + "): " + text);
		return;
	}
	std::vector<std::string> resources;
	size_t pos = 0;
	while (pos < text.size()) {
		size_t eol = text.find('\n', pos);
		if (eol == std::string::npos)
			eol = text.size();
		std::string line = text.substr(pos, eol - pos);
		pos = eol + 1;
		if (line.empty() || line[0] == ' ')
			continue;
		resources.push_back(line.substr(0, line.find(' ')));
	}
	for (const auto &r : resources) {
		log(sys_, SYS_LOG_INFO, "bringing DRBD resource " + r + " down (drbdsetup-84 down " + r + ")");
		if (int rc = run_drbdsetup({"down", r}, &text, 60); rc != 0)
			log(sys_, SYS_LOG_ERROR,
			    "drbdsetup-84 down " + r + " failed (" + std::to_string(rc) + "); it stays up: " + text);
	}
}

bool HostedDrbd::stop()
{
	if (kept_loaded_)
		return false;
	if (control_)
		control_->stop();
	control_.reset();
	if (module_loaded_) {
		{
			std::lock_guard lk(minors_mu_);
			if (!minors_.empty()) {
				log(sys_, SYS_LOG_ERROR,
				    std::to_string(minors_.size()) +
					    " DRBD minor(s) still configured: the module stays loaded; "
					    "their meta-data is left as after a crash (apply-al at next up)");
				kept_loaded_ = true;
				// Their handles point into the kernel side, which stays up until the
				// process ends: never release them from a static destructor, after
				// the event engine is gone.
				g_kept_minor_devices = new std::map<std::string, std::shared_ptr<DrbdMinorDevice>>(
					std::move(g_minor_devices));
				return false;
			}
		}
		umc_module_exit();
		module_loaded_ = false;
	}
	if (runtime_up_) {
		umc_disk_set_listener(nullptr);
		for (const auto &p : backing_paths_)
			umc_bdev_unregister(p.c_str());
		backing_paths_.clear();
		umc_kernel_shutdown();
		umc_runtime_exit();
		runtime_up_ = false;
	}
	return true;
}

} // namespace umcd
