// daemon.hpp - what one umcd instance serves: block devices from bio_backends
// under dev/ of a FUSE tree, proc/umcd/devices describing them, and
// proc/umcd/node naming the node:
//
//   node_name alpha
//   state_dir /var/lib/umc/alpha
//
// (one "key value" line each, in this order; keys may be added, readers
// skip unknown ones).  With DRBD hosted, the daemon also prepares the node's
// state directory (<state_dir>/lib, run, lock) and holds <state_dir>/umcd.lock.
#pragma once

#include "daemon_config.hpp"

#include <fuse_nodes/fuse_tree.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

struct sys_service;
struct bio_device;

namespace umcd {

class HostedDrbd;

class Daemon {
public:
	explicit Daemon(const sys_service *sys);
	~Daemon();
	Daemon(const Daemon &) = delete;
	Daemon &operator=(const Daemon &) = delete;

	// Mount the tree at cfg.fs_root first (so a busy mount point is refused
	// before any backend creates a file), then open and publish every device.
	// On failure everything done so far is undone and the reason returned.
	// Returns "" on success.
	std::string start(const DaemonConfig &cfg);

	// Stop serving: bring DRBD's resources down, unmount (in-flight I/O
	// completes first), unload DRBD, flush every device that can be flushed,
	// close the backends.  Idempotent.
	void stop();

	// The text of proc/umcd/devices.
	std::string status_text() const;
	// The text of proc/umcd/node.
	std::string node_text() const;

private:
	struct Served {
		DeviceConfig config;
		bio_device *device = nullptr;
	};

	std::string start_serving(const DaemonConfig &cfg); // start() after its checks
	void close_devices(bool close);
	std::string prepare_state_dir();
	void release_state_dir();

	const sys_service *sys_;
	std::unique_ptr<umc::fuse::FuseTree> tree_;
	std::unique_ptr<HostedDrbd> drbd_;
	std::vector<Served> served_;
	std::string root_;
	std::string node_name_;
	std::string state_dir_;
	int state_lock_fd_ = -1; // flock on <state_dir>/umcd.lock while serving
	uint64_t started_ns_ = 0;
};

// What Daemon::start would refuse in `cfg` - the FUSE root, the log file,
// every device's backend options and backing file - found without creating,
// mounting or opening anything for writing (umcd --check).  One line per
// problem, in start's words; empty when start would get past its checks.
std::vector<std::string> check_config(const DaemonConfig &cfg);

// Make `dev` durable: a FLUSH request, waited for at most `timeout`.  0 or
// -errno; -ETIMEDOUT leaves the flush running (bio_close waits for it).
int flush_device(bio_device *dev, std::chrono::milliseconds timeout);

} // namespace umcd
