#include "daemon.hpp"

#include "backing_disk.hpp"
#include "hosted_drbd.hpp"

#include <bio_backends/bio_backend.h>
#include <fuse_nodes/bio_backend_device.hpp>
#include <mte/sys_service.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <future>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace umcd {
namespace {

void log(const sys_service *sys, int level, const std::string &msg)
{
	sys->log_write(level, "umcd", msg.data(), msg.size());
}

// Start's words for a device that bio_open (or bio_check) refused.
std::string device_error(const DeviceConfig &dc, const char *err, int rc)
{
	return "device '" + dc.name + "' (line " + std::to_string(dc.line) + ", backend " + dc.backend +
	       "): " + (err[0] ? err : "error " + std::to_string(rc));
}

std::string check_device(const DeviceConfig &dc)
{
	char err[256] = "";
	std::string options = dc.option_string();
	if (int rc = bio_check(dc.backend.c_str(), options.c_str(), err, sizeof err); rc < 0)
		return device_error(dc, err, rc);
	return "";
}

// The directories a mkdir -p of `path` would create, innermost first.
std::vector<std::string> missing_dirs(const std::string &path)
{
	std::vector<std::string> out;
	std::string p = path;
	while (p.size() > 1 && p.back() == '/')
		p.pop_back();
	struct stat st;
	while (!p.empty() && p != "/" && stat(p.c_str(), &st) != 0 && errno == ENOENT) {
		out.push_back(p);
		size_t slash = p.find_last_of('/');
		if (slash == std::string::npos)
			break;
		p = slash == 0 ? "/" : p.substr(0, slash);
	}
	return out;
}

std::string human_size(uint64_t bytes)
{
	static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	double v = static_cast<double>(bytes);
	int u = 0;
	while (v >= 1024 && u < 4)
		v /= 1024, ++u;
	char buf[32];
	std::snprintf(buf, sizeof buf, u ? "%.1f %s" : "%.0f %s", v, units[u]);
	return buf;
}

// Buffer alignment a device needs so that direct I/O stays direct.  bio_caps
// has no field for it: uring and aio with direct=1 (their default) check each
// buffer against the file's direct-I/O memory alignment (statx DIOALIGN, 512
// on most disks, 4096 on 4K-sector ones) and serve the others through the
// page cache.  fuse_nodes receives write payloads page aligned, so a device
// that asks for alignment gets them in place (small writes are copied into
// its pool); a read-modify-write tail is aligned as the device asks.  A fault
// device takes its inner backend's needs.  Other backends do not care (0).
uint32_t memory_alignment(const DeviceConfig &dc)
{
	std::string backend = dc.backend;
	if (backend == "fault")
		for (const auto &[key, value] : dc.options)
			if (key == "inner")
				backend = value;
	if (backend != "uring" && backend != "aio")
		return 0;
	for (const auto &[key, value] : dc.options) {
		int direct = 1;
		if (key == "direct" && bio_parse_bool(value.c_str(), &direct) == 0 && !direct)
			return 0;
	}
	return 4096;
}

// mkdir -p: "" or why not.
std::string make_dirs(const std::string &path, mode_t mode)
{
	for (size_t pos = 1; pos <= path.size(); ++pos) {
		if (pos != path.size() && path[pos] != '/')
			continue;
		std::string part = path.substr(0, pos);
		if (mkdir(part.c_str(), pos == path.size() ? mode : 0755) < 0 && errno != EEXIST) {
			int e = errno;
			return "cannot create " + part + ": " + std::strerror(e) +
			       (e == EACCES || e == EPERM || e == EROFS
					? " (set state_dir in [umcd] to a directory umcd may write)"
					: "");
		}
	}
	struct stat st {};
	if (stat(path.c_str(), &st) < 0)
		return "cannot stat " + path + ": " + std::strerror(errno);
	if (!S_ISDIR(st.st_mode))
		return path + " exists and is not a directory";
	return "";
}

// What make_dirs(path) would say, without creating anything: "" when it
// would succeed.
std::string check_dirs(const std::string &path)
{
	for (size_t pos = 1; pos <= path.size(); ++pos) {
		if (pos != path.size() && path[pos] != '/')
			continue;
		std::string part = path.substr(0, pos);
		struct stat st {};
		if (stat(part.c_str(), &st) == 0) {
			if (pos == path.size() && !S_ISDIR(st.st_mode))
				return path + " exists and is not a directory";
			continue;
		}
		int e = errno;
		if (e == ENOENT) {
			std::string parent = part.substr(0, std::max<size_t>(part.rfind('/'), 1));
			if (access(parent.c_str(), W_OK) == 0)
				return "";
			e = errno;
		}
		return "cannot create " + part + ": " + std::strerror(e) +
		       (e == EACCES || e == EPERM || e == EROFS
				? " (set state_dir in [umcd] to a directory umcd may write)"
				: "");
	}
	return "";
}

} // namespace

std::vector<std::string> check_config(const DaemonConfig &cfg)
{
	std::vector<std::string> problems;
	if (std::string why = umc::fuse::check_fs_root(cfg.fs_root); !why.empty())
		problems.push_back("cannot serve " + cfg.fs_root + ": " + why);
	if (!cfg.log_file.empty()) {
		// The log file, or the nearest directory above it (spdlog makes the
		// missing ones), must take writes.
		std::string p = cfg.log_file;
		struct stat st;
		while (stat(p.c_str(), &st) != 0 && errno == ENOENT && p.find('/') != std::string::npos)
			p = p.rfind('/') == 0 ? "/" : p.substr(0, p.rfind('/'));
		if (access(p.c_str(), W_OK) != 0)
			problems.push_back("cannot start the event engine: log file " + cfg.log_file + ": " + p + ": " +
					   std::strerror(errno));
	}
	if (cfg.drbd)
		if (std::string why = check_dirs(cfg.state_dir); !why.empty())
			problems.push_back("state_dir: " + why);
	for (const DeviceConfig &dc : cfg.devices)
		if (std::string why = check_device(dc); !why.empty())
			problems.push_back(why);
	return problems;
}

// A tree whose stop() timed out (see Daemon::stop); kept reachable.
umc::fuse::FuseTree *g_abandoned_tree = nullptr;

int flush_device(bio_device *dev, std::chrono::milliseconds timeout)
{
	if (!(dev->caps.features & BIO_CAP_FLUSH))
		return 0;
	// On the heap, owned by the completion: after a timed-out wait the request
	// is still the backend's (a fault device with hang=1 holds it until
	// bio_close releases it).
	struct Flush {
		bio_request req{};
		std::promise<int> done;
	};
	auto *f = new Flush;
	f->req.op = BIO_OP_FLUSH;
	f->req.private_data = f;
	f->req.end_io = [](bio_request *r, int status) {
		auto *self = static_cast<Flush *>(r->private_data);
		self->done.set_value(status);
		delete self;
	};
	auto result = f->done.get_future();
	bio_submit(dev, &f->req);
	if (result.wait_for(timeout) != std::future_status::ready)
		return -ETIMEDOUT;
	return result.get();
}

Daemon::Daemon(const sys_service *sys) : sys_(sys) {}
Daemon::~Daemon()
{
	stop();
}

std::string Daemon::start(const DaemonConfig &cfg)
{
	// Refuse what can be refused before anything is created or mounted.
	for (const DeviceConfig &dc : cfg.devices)
		if (std::string why = check_device(dc); !why.empty())
			return why;
	// A refusal after the mount (a device that fails to open after all)
	// takes back the root directories the mount created.
	const std::vector<std::string> created_dirs = missing_dirs(cfg.fs_root);
	std::string why = start_serving(cfg);
	if (!why.empty())
		for (const std::string &dir : created_dirs)
			rmdir(dir.c_str());
	return why;
}

std::string Daemon::start_serving(const DaemonConfig &cfg)
{
	umc::fuse::FuseTreeOptions opts;
	opts.root = cfg.fs_root;
	tree_ = std::make_unique<umc::fuse::FuseTree>(opts);
	std::string why;
	if (int rc = tree_->start(&why); rc < 0) {
		tree_.reset();
		return "cannot serve " + cfg.fs_root + ": " +
		       (why.empty() ? std::string("error ") + std::to_string(rc) : why);
	}
	root_ = tree_->root();
	started_ns_ = sys_->time_mono_ns();
	node_name_ = cfg.node_name;
	state_dir_ = cfg.state_dir;
	umc::fuse::TextFile node;
	node.show = [this] { return node_text(); };
	tree_->add_text_file("proc/umcd/node", std::move(node));
	if (cfg.drbd) {
		if (std::string why = prepare_state_dir(); !why.empty()) {
			stop();
			return why;
		}
		drbd_ = std::make_unique<HostedDrbd>(sys_, tree_.get(), node_name_);
		if (std::string why = drbd_->start(); !why.empty()) {
			stop();
			return why;
		}
	}

	for (const DeviceConfig &dc : cfg.devices) {
		char err[256] = "";
		bio_device *dev = nullptr;
		std::string options = dc.option_string();
		if (int rc = bio_open(&dev, sys_, dc.backend.c_str(), options.c_str(), err, sizeof err); rc < 0) {
			stop();
			return device_error(dc, err, rc);
		}
		served_.push_back({dc, dev});
		std::shared_ptr<umc::fuse::BlockDevice> node;
		if (drbd_) {
			if (std::string why = drbd_->add_backing_disk(dc.name, dev); !why.empty()) {
				stop();
				return why;
			}
			node = std::make_shared<BackingNode>(dev, memory_alignment(dc), drbd_->fs_path(dc.name));
		} else {
			node = std::make_shared<umc::fuse::BioBackendDevice>(dev, memory_alignment(dc));
		}
		if (int rc = tree_->add_block_device(dc.name, std::move(node)); rc < 0) {
			stop();
			return "device '" + dc.name + "': cannot publish dev/" + dc.name + " (error " +
			       std::to_string(rc) + ")";
		}
		log(sys_, SYS_LOG_INFO, "serving dev/" + dc.name + ": " + dc.backend + ", " + human_size(dev->size));
	}

	umc::fuse::TextFile status;
	status.show = [this] { return status_text(); };
	tree_->add_text_file("proc/umcd/devices", std::move(status));
	log(sys_, SYS_LOG_INFO, "ready at " + root_ + " with " + std::to_string(served_.size()) + " device(s)");
	return "";
}

// drbd-utils' host state for this node (the preload maps /var/lib/drbd to
// lib/, /var/run/drbd to run/, /var/lock/drbd-* to lock/), and the lock that
// keeps a second umcd off the same state.
std::string Daemon::prepare_state_dir()
{
	if (state_dir_.empty())
		return "no state_dir";
	for (const auto &[sub, mode] :
	     {std::pair<const char *, mode_t>{"", 0755}, {"/lib", 0755}, {"/run", 0700}, {"/lock", 0755}})
		if (std::string why = make_dirs(state_dir_ + sub, mode); !why.empty())
			return "state_dir: " + why;
	std::string lock = state_dir_ + "/umcd.lock";
	int fd = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return "state_dir: cannot open " + lock + ": " + std::strerror(errno);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		char buf[32] = "";
		ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
		close(fd);
		std::string holder = n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string("?");
		while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' '))
			holder.pop_back();
		if (e == EWOULDBLOCK)
			return "state_dir " + state_dir_ + " is in use by another umcd (pid " + holder +
			       "); give each node its own node_name or state_dir";
		return "state_dir: cannot lock " + lock + ": " + std::strerror(e);
	}
	std::string pid = std::to_string(getpid()) + "\n";
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid.data(), pid.size(), 0) < 0) { /* the lock is what counts */
	}
	state_lock_fd_ = fd;
	log(sys_, SYS_LOG_INFO, "node " + node_name_ + ", drbd-utils state in " + state_dir_);
	return "";
}

std::string Daemon::node_text() const
{
	return "node_name " + node_name_ + "\nstate_dir " + state_dir_ + "\n";
}

std::string Daemon::status_text() const
{
	std::string out;
	uint64_t up_s = (sys_->time_mono_ns() - started_ns_) / 1000000000ull;
	char head[256];
	std::snprintf(head, sizeof head, "umcd pid %d, root %s, up %llus, %zu device(s)\n", getpid(), root_.c_str(),
		      static_cast<unsigned long long>(up_s), served_.size());
	out += head;
	for (const Served &s : served_) {
		char line[512];
		std::snprintf(line, sizeof line, "%-16s %-8s %12s  %s\n", s.config.name.c_str(),
			      s.config.backend.c_str(), human_size(s.device->size).c_str(),
			      s.config.option_string().c_str());
		out += line;
	}
	return out;
}

void Daemon::close_devices(bool close)
{
	for (Served &s : served_) {
		int rc = flush_device(s.device, std::chrono::seconds(10));
		if (rc == -ETIMEDOUT)
			log(sys_, SYS_LOG_ERROR,
			    "dev/" + s.config.name +
				    ": final flush still running after 10 s (device hung?); "
				    "closing, which waits for it");
		else if (rc < 0)
			log(sys_, SYS_LOG_ERROR,
			    "dev/" + s.config.name + ": final flush failed: error " + std::to_string(rc));
		// DRBD still attached to it (stop gave up): the kernel side may still
		// do I/O, so the device stays open until the process ends.
		if (close)
			bio_close(s.device);
	}
	served_.clear();
}

void Daemon::stop()
{
	// Resources down while the tree and the control socket still serve
	// drbdsetup.
	if (drbd_ && tree_)
		drbd_->down_all();
	if (tree_) {
		// Unmount first: no new requests, and the ones in flight complete.
		if (tree_->stop() < 0) {
			// Requests are still in flight (a hung device): their completions
			// reply through the tree, so it must outlive the devices, and closing
			// them releases what a fault device holds.  The tree is then left
			// alone: destroying it would stop() it again, which aborts after a
			// timed-out stop (std::system_error from joining its loop thread
			// twice).  The kernel removes the mount when the process exits
			// (auto_unmount).
			log(sys_, SYS_LOG_ERROR, "FUSE session did not stop in time; closing the devices under it");
			if (drbd_)
				drbd_->detach_tree();
			bool unloaded = !drbd_ || drbd_->stop();
			close_devices(unloaded);
			g_abandoned_tree = tree_.release(); // reachable: no leak report
			release_state_dir();
			return;
		}
		// The minors' nodes hold references into the kernel side: release
		// them while it still runs.
		if (drbd_)
			drbd_->detach_tree();
		tree_.reset();
	}
	bool unloaded = !drbd_ || drbd_->stop();
	close_devices(unloaded);
	if (unloaded)
		drbd_.reset();
	release_state_dir();
}

void Daemon::release_state_dir()
{
	if (state_lock_fd_ < 0)
		return;
	close(state_lock_fd_); // drops the flock; the file stays (its content is only informative)
	state_lock_fd_ = -1;
}

} // namespace umcd
