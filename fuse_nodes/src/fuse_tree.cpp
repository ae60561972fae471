// fuse_tree.cpp - FuseTree: the node registry and the session's lifecycle
// (claim the mount point, mount, run libfuse's multi-threaded loop, stop).
#include "tree_impl.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <pthread.h>
#include <unistd.h>
#include <vector>

namespace umc::fuse {

namespace {

void wake_handler(int) {} // only interrupts sem_wait in the loop thread

void install_wake_handler(int signo)
{
	static std::mutex lock;
	static std::vector<int> installed;
	std::lock_guard guard(lock);
	for (int s : installed)
		if (s == signo)
			return;
	struct sigaction sa;
	std::memset(&sa, 0, sizeof sa);
	sa.sa_handler = wake_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; // no SA_RESTART: the wait must return EINTR
	sigaction(signo, &sa, nullptr);
	installed.push_back(signo);
}

bool is_sub_tree(std::string_view path)
{
	while (!path.empty() && path.front() == '/')
		path.remove_prefix(1);
	return path.starts_with("proc/") || path.starts_with("sys/");
}

} // namespace

std::string default_fs_root()
{
	const char *env = std::getenv("UMC_FS_ROOT");
	return env && *env ? env : "/UMCfuse";
}

FuseTree::Impl::Impl(FuseTreeOptions o) : opts(std::move(o)), owner_uid(geteuid()), owner_gid(getegid())
{
	if (opts.root.empty())
		opts.root = default_fs_root();
	clock_gettime(CLOCK_REALTIME, &created);
	int err = 0;
	nodes.make_dirs("dev", &err);
	nodes.make_dirs("proc", &err);
	nodes.make_dirs("sys/module", &err);
}

void FuseTree::Impl::request_started()
{
	int64_t now = in_flight.fetch_add(1, std::memory_order_relaxed) + 1;
	uint64_t seen = max_in_flight.load(std::memory_order_relaxed);
	while (static_cast<uint64_t>(now) > seen &&
	       !max_in_flight.compare_exchange_weak(seen, static_cast<uint64_t>(now), std::memory_order_relaxed)) {
	}
}

void FuseTree::Impl::request_finished()
{
	if (in_flight.fetch_sub(1, std::memory_order_acq_rel) == 1) {
		std::lock_guard guard(idle_lock);
		idle.notify_all();
	}
}

void FuseTree::Impl::track_open(OpenFile *file)
{
	std::lock_guard guard(open_files_lock);
	open_files.insert(file);
}

bool FuseTree::Impl::untrack_open(OpenFile *file)
{
	std::lock_guard guard(open_files_lock);
	return open_files.erase(file) == 1;
}

void FuseTree::Impl::release_open_file(OpenFile *file)
{
	if (file->node->kind == NodeKind::Block)
		file->node->device->release(file->mode);
	file->node->open_count.fetch_sub(1);
	delete file;
}

void FuseTree::Impl::release_all_open_files()
{
	std::unordered_set<OpenFile *> left;
	{
		std::lock_guard guard(open_files_lock);
		left.swap(open_files);
	}
	for (OpenFile *file : left)
		release_open_file(file);
}

void FuseTree::Impl::fill_stat(const Node &node, struct stat *st) const
{
	std::memset(st, 0, sizeof *st);
	st->st_ino = node.ino;
	st->st_uid = owner_uid;
	st->st_gid = owner_gid;
	st->st_atim = st->st_mtim = st->st_ctim = created;
	st->st_blksize = 4096;
	switch (node.kind) {
	case NodeKind::Directory: {
		st->st_mode = S_IFDIR | node.perm;
		st->st_nlink = 2;
		break;
	}
	case NodeKind::Block: {
		// A regular file, not S_IFBLK: a FUSE block-special node would make
		// the kernel treat its st_rdev as one of its own devices.
		uint64_t capacity = node.device->capacity_bytes();
		BlockLimits limits = node.device->limits();
		st->st_mode = S_IFREG | node.perm;
		st->st_nlink = 1;
		st->st_size = static_cast<off_t>(capacity);
		st->st_blocks = static_cast<blkcnt_t>(capacity / 512);
		st->st_blksize = std::max<blksize_t>(limits.logical_block_size, 4096);
		break;
	}
	case NodeKind::Text:
		st->st_mode = S_IFREG | node.perm;
		st->st_nlink = 1;
		st->st_size = 0; // like procfs: the content exists only when read
		break;
	}
}

void FuseTree::Impl::run_loop()
{
	fuse_loop_config *config = fuse_loop_cfg_create();
	fuse_loop_cfg_set_clone_fd(config, opts.clone_fd ? 1 : 0);
	fuse_loop_cfg_set_max_threads(config, opts.max_threads);
	fuse_loop_cfg_set_idle_threads(config, opts.max_idle_threads);
	int rc = fuse_session_loop_mt(session, config);
	fuse_loop_cfg_destroy(config);
	std::lock_guard guard(state_lock);
	loop_exited = true;
	loop_result = rc;
	state_changed.notify_all();
}

FuseTree::FuseTree(FuseTreeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

FuseTree::~FuseTree()
{
	// After a timed-out stop, libfuse threads or completions may still use
	// the state: leak it rather than free it under them.
	if (stop() < 0)
		(void)impl_.release();
}

const std::string &FuseTree::root() const
{
	return impl_->guard.path().empty() ? impl_->opts.root : impl_->guard.path();
}

bool FuseTree::running() const
{
	// False as well when the loop ended on its own (the mount was removed
	// from outside); stop() still cleans up then.
	std::lock_guard guard(impl_->state_lock);
	return impl_->running && !impl_->loop_exited;
}

int FuseTree::start(std::string *why)
{
	Impl &t = *impl_;
	auto fail = [&](int err, const std::string &text) {
		if (why)
			*why = text;
		return err;
	};
	{
		std::lock_guard guard(t.state_lock);
		if (t.running || t.session)
			return fail(-EALREADY, "FUSE tree already started at " + root());
	}
	int rc = t.guard.claim(t.opts.root, why);
	if (rc < 0)
		return rc;
	const std::string &mount_point = t.guard.path();

	std::string options = "fsname=umc,subtype=umc,default_permissions,max_read=" + std::to_string(t.opts.max_read);
	if (t.opts.allow_other)
		options += ",allow_other";
	if (t.opts.auto_unmount)
		options += ",auto_unmount";
	std::vector<std::string> argv_text = {"umc-fuse", "-o", options};
	if (t.opts.debug)
		argv_text.push_back("-d");
	std::vector<char *> argv;
	for (auto &a : argv_text)
		argv.push_back(a.data());
	fuse_args args = FUSE_ARGS_INIT(static_cast<int>(argv.size()), argv.data());
	fuse_session *se = fuse_session_new(&args, &lowlevel_ops(), sizeof(fuse_lowlevel_ops), &t);
	fuse_opt_free_args(&args);
	if (!se) {
		t.guard.release();
		return fail(-EINVAL, "fuse_session_new failed (see stderr)");
	}
	if (fuse_session_mount(se, mount_point.c_str()) != 0) {
		fuse_session_destroy(se);
		t.guard.release();
		return fail(-EIO, "cannot mount FUSE at " + mount_point + " (see stderr)");
	}
	// Fails only without memory; libfuse then reads as usual (and writes
	// are copied: stats().payloads_aligned stays 0).
	(void)install_receive_io(t, se);
	install_wake_handler(t.opts.wake_signal);
	{
		std::lock_guard guard(t.state_lock);
		t.session = se;
		t.init_done = false;
		t.loop_exited = false;
		t.running = true;
	}
	t.loop_thread = std::thread([&t] { t.run_loop(); });

	// Ready when the kernel's FUSE_INIT was answered.
	std::unique_lock guard(t.state_lock);
	bool ready =
		t.state_changed.wait_for(guard, t.opts.start_timeout, [&] { return t.init_done || t.loop_exited; });
	bool ok = ready && t.init_done;
	guard.unlock();
	if (!ok) {
		stop();
		return fail(-ETIMEDOUT, "FUSE at " + mount_point + " did not complete FUSE_INIT");
	}
	return 0;
}

int FuseTree::stop()
{
	Impl &t = *impl_;
	fuse_session *se;
	{
		std::lock_guard guard(t.state_lock);
		if (!t.session)
			return 0;
		se = t.session;
	}
	auto deadline = std::chrono::steady_clock::now() + t.opts.stop_timeout;

	// libfuse's loop thread sleeps in sem_wait() until a worker finishes;
	// workers sleep in read(/dev/fuse).  Mark the session exited and
	// interrupt the loop thread (repeatedly: the signal can land just before
	// it starts waiting); it then cancels and joins the workers.
	fuse_session_exit(se);
	bool exited = false;
	{
		std::unique_lock guard(t.state_lock);
		// A stop that timed out before has detached the loop thread (or
		// joined it and timed out on in-flight requests): no thread to
		// signal or join any more, only those requests to wait for again.
		while (!t.loop_exited && t.loop_thread.joinable() && std::chrono::steady_clock::now() < deadline) {
			pthread_kill(t.loop_thread.native_handle(), t.opts.wake_signal);
			t.state_changed.wait_for(guard, std::chrono::milliseconds(20), [&] { return t.loop_exited; });
		}
		exited = t.loop_exited;
	}
	if (!exited) {
		if (t.loop_thread.joinable())
			t.loop_thread.detach();
		return -ETIMEDOUT; // session leaked on purpose: workers still use it
	}
	if (t.loop_thread.joinable())
		t.loop_thread.join();

	// Completions still to come reply through the session.
	{
		std::unique_lock guard(t.idle_lock);
		if (!t.idle.wait_until(guard, deadline, [&] { return t.in_flight.load() == 0; }))
			return -ETIMEDOUT;
	}

	fuse_session_unmount(se);
	fuse_session_destroy(se);
	// Files still open in applications can do nothing more through the dead
	// connection: give their devices the releases the kernel cannot send.
	t.release_all_open_files();
	t.guard.release();
	std::lock_guard guard(t.state_lock);
	t.session = nullptr;
	t.running = false;
	return 0;
}

int FuseTree::add_block_device(std::string_view name, std::shared_ptr<BlockDevice> device)
{
	if (!device)
		return -EINVAL;
	auto node = std::make_shared<Node>();
	node->kind = NodeKind::Block;
	node->perm = 0600;
	node->device = std::move(device);
	return impl_->nodes.add_file("dev", name, std::move(node));
}

int FuseTree::remove_block_device(std::string_view name)
{
	NodeRef node = impl_->nodes.lookup(impl_->nodes.resolve("dev")->ino, name);
	if (!node || node->kind != NodeKind::Block)
		return -ENOENT;
	{
		// Opens count themselves under the shared gate (op_open), so none
		// can slip in between the check and the removal.
		std::unique_lock gate(node->callback_gate);
		if (node->open_count.load() > 0)
			return -EBUSY;
		node->removed = true;
	}
	impl_->nodes.unlink(node);
	return 0;
}

int FuseTree::add_text_file(std::string_view path, TextFile file)
{
	if (!is_sub_tree(path))
		return -EINVAL;
	size_t slash = path.rfind('/');
	std::string_view dir = path.substr(0, slash);
	std::string_view name = path.substr(slash + 1);
	int err = 0;
	if (!impl_->nodes.make_dirs(dir, &err))
		return err;
	auto node = std::make_shared<Node>();
	node->kind = NodeKind::Text;
	node->perm = file.mode ? (file.mode & 07777) : (file.store ? 0644 : 0444);
	node->text = std::move(file);
	return impl_->nodes.add_file(dir, name, std::move(node));
}

int FuseTree::add_module_parameter(std::string_view module, std::string_view name, TextFile file)
{
	if (!NodeTable::valid_name(module))
		return -EINVAL;
	std::string path = "sys/module/" + std::string(module) + "/parameters/" + std::string(name);
	return add_text_file(path, std::move(file));
}

int FuseTree::remove(std::string_view path)
{
	if (!is_sub_tree(path))
		return -EINVAL;
	NodeRef node = impl_->nodes.resolve(path);
	if (!node)
		return -ENOENT;
	if (node->kind == NodeKind::Block)
		return -EINVAL;
	if (node == impl_->nodes.resolve("sys/module"))
		return -EPERM; // part of the fixed skeleton, like dev/ and proc/
	if (node->kind == NodeKind::Directory && !impl_->nodes.children(node->ino).empty())
		return -ENOTEMPTY;
	{
		// Waits for callbacks in progress; none start afterwards.
		std::unique_lock gate(node->callback_gate);
		node->removed = true;
	}
	impl_->nodes.unlink(node);
	return 0;
}

FuseTreeStats FuseTree::stats() const
{
	const Impl &t = *impl_;
	FuseTreeStats s;
	s.reads = t.n_reads.load();
	s.writes = t.n_writes.load();
	s.flushes = t.n_flushes.load();
	s.discards = t.n_discards.load();
	s.write_zeroes = t.n_write_zeroes.load();
	s.writes_copied = t.n_writes_copied.load();
	s.writes_in_place = t.n_writes_in_place.load();
	s.payloads_aligned = t.n_payloads_aligned.load();
	s.read_modify_writes = t.n_rmw.load();
	s.max_in_flight = t.max_in_flight.load();
	return s;
}

} // namespace umc::fuse
