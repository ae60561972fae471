// hosted_drbd.hpp - the DRBD module running inside umcd, and how the FUSE
// tree shows it:
//
//   dev/drbd<minor>                 one node per minor, added when DRBD adds
//                                   the disk (new-minor), removed on del-minor
//   proc/drbd                       DRBD's own seq_file
//   sys/module/drbd/parameters/*    module parameters (0644 ones writable)
//   control socket                  generic netlink for drbdsetup (control_socket.hpp)
//
// Backing disks: every dev/<name> the daemon serves is also registered with
// the kernel side under its FUSE path (<root>/dev/<name>), which is how an
// administrator names it in drbd.conf (`disk /UMCfuse/dev/d0;`).
#pragma once

#include "control_socket.hpp"

#include <fuse_nodes/fuse_tree.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

struct sys_service;
struct bio_device;

namespace umcd {

class HostedDrbd {
public:
	// `node_name` is this node's DRBD host name: helpers and drbdsetup-84 get
	// it as __DRBD_NODE__, so a drbdadm they run picks its `on <node_name>`.
	HostedDrbd(const sys_service *sys, umc::fuse::FuseTree *tree, std::string node_name)
	    : sys_(sys), tree_(tree), node_name_(std::move(node_name))
	{
	}
	~HostedDrbd() { stop(); }
	HostedDrbd(const HostedDrbd &) = delete;
	HostedDrbd &operator=(const HostedDrbd &) = delete;

	// Boot the runtime, load the module, publish proc/ and sys/ and open the
	// control socket.  "" or why not.
	std::string start();
	// Make `device` (served as dev/<name>) available to DRBD as a backing disk.
	std::string add_backing_disk(const std::string &name, bio_device *device);
	// Whether DRBD holds dev/<name> open exclusively (attached to it).
	bool backing_disk_claimed(const std::string &name) const;

	// Bring every resource down, as `drbdsetup all down` (an orderly shutdown
	// writes the meta-data clean).  Needs the control socket and the tree.
	void down_all();
	// Close the control socket, unload the module if no minor is left, stop
	// the runtime.  Returns false when DRBD still holds resources (a minor
	// could not be brought down): the module stays loaded and the backing
	// disks must then stay open.  Idempotent.
	bool stop();

	std::string fs_path(const std::string &name) const; // <root>/dev/<name>
	// The tree is about to go: listener events no longer touch it.
	void detach_tree();

private:
	static void disk_added(void *ctx, const char *name, unsigned major, unsigned minor);
	static void disk_removed(void *ctx, const char *name);
	void publish_parameters();
	int run_drbdsetup(const std::vector<std::string> &args, std::string *text, int timeout_s);

	const sys_service *sys_;
	umc::fuse::FuseTree *tree_; // guarded by minors_mu_ once started
	std::string root_;
	std::string node_name_;
	std::string preload_; // libumc-preload.so for helpers and drbdsetup-84
	std::unique_ptr<ControlSocket> control_;
	std::vector<std::string> backing_paths_;
	bool runtime_up_ = false;
	bool module_loaded_ = false;
	bool kept_loaded_ = false; // stop() gave up: minors left
	std::mutex minors_mu_;
	std::map<std::string, bool> minors_; // dev/ nodes of live minors
};

} // namespace umcd
