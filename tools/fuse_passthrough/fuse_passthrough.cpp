// umc-fuse-passthrough BACKING_FILE MOUNTPOINT [-f]
// umc-fuse-passthrough --fuse-nodes BACKING_FILE MOUNTPOINT [-f]
// umc-fuse-passthrough --direct BACKING_FILE MOUNTPOINT [-f]
//
// Serves one backing file as one FUSE file, the bare FUSE ceiling for
// benchmarks: libfuse3 low-level API, multi-threaded loop, direct_io, and the
// same connection settings as fuse_nodes (fuse_nodes/fuse_settings.hpp).
// Every request is a pread/pwrite on the backing fd inside the worker thread.
//
// MOUNTPOINT a directory: the file appears as MOUNTPOINT/<basename of BACKING_FILE>.
// MOUNTPOINT a regular file: the mount point itself becomes the file.
// Without -f it daemonizes after mounting.  SIGINT/SIGTERM/SIGHUP unmount.
//
// --direct opens the backing file with O_DIRECT (reads into, and writes
// from, a page-aligned buffer per worker): the ceiling to hold a backend
// against that bypasses the page cache too (umcd's uring, aio).
//
// --fuse-nodes serves the same file through the fuse_nodes library instead
// (MOUNTPOINT/dev/<basename>, a BlockDevice doing pread/pwrite inline in
// submit), which isolates the cost of fuse_nodes' request mapping.
#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>

#include "fuse_nodes/fuse_settings.hpp"
#include "fuse_nodes/fuse_tree.hpp"

#include <csignal>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/falloc.h>
#include <pthread.h>
#include <sys/uio.h>
#include <string>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <vector>

namespace {

namespace settings = umc::fuse::settings;

constexpr fuse_ino_t kRootIno = FUSE_ROOT_ID;
constexpr fuse_ino_t kFileIno = 2;

struct Passthrough {
	int fd = -1;
	std::string name; // the file's name inside a directory mount
	bool root_is_file = false;
};

Passthrough &state(fuse_req_t req)
{
	return *static_cast<Passthrough *>(fuse_req_userdata(req));
}

bool is_file(const Passthrough &p, fuse_ino_t ino)
{
	return ino == (p.root_is_file ? kRootIno : kFileIno);
}

int file_stat(const Passthrough &p, fuse_ino_t ino, struct stat *st)
{
	if (fstat(p.fd, st) != 0)
		return errno;
	st->st_ino = ino;
	st->st_mode = S_IFREG | (st->st_mode & 07777);
	st->st_nlink = 1;
	return 0;
}

void dir_stat(struct stat *st)
{
	std::memset(st, 0, sizeof *st);
	st->st_ino = kRootIno;
	st->st_mode = S_IFDIR | 0755;
	st->st_nlink = 2;
}

void op_init(void *, fuse_conn_info *conn)
{
	conn->max_write = settings::kMaxWrite;
	conn->max_read = settings::kMaxRead;
	conn->max_background = settings::kMaxBackground;
	conn->congestion_threshold = settings::kCongestionThreshold;
	conn->want &= ~(FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE | FUSE_CAP_WRITEBACK_CACHE);
	if (conn->capable & FUSE_CAP_ASYNC_DIO)
		conn->want |= FUSE_CAP_ASYNC_DIO;
}

void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	Passthrough &p = state(req);
	if (p.root_is_file || parent != kRootIno || p.name != name) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	fuse_entry_param e;
	std::memset(&e, 0, sizeof e);
	e.ino = kFileIno;
	e.generation = 1;
	int err = file_stat(p, kFileIno, &e.attr);
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_entry(req, &e);
}

void op_getattr(fuse_req_t req, fuse_ino_t ino, fuse_file_info *)
{
	Passthrough &p = state(req);
	struct stat st;
	if (is_file(p, ino)) {
		int err = file_stat(p, ino, &st);
		if (err) {
			fuse_reply_err(req, err);
			return;
		}
	} else if (ino == kRootIno) {
		dir_stat(&st);
	} else {
		fuse_reply_err(req, ENOENT);
		return;
	}
	fuse_reply_attr(req, &st, 0.0);
}

void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *, int, fuse_file_info *fi)
{
	op_getattr(req, ino, fi); // size/mode changes are not part of a benchmark
}

void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, fuse_file_info *)
{
	Passthrough &p = state(req);
	if (ino != kRootIno || p.root_is_file) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	std::vector<char> buf(size);
	size_t used = 0;
	const char *names[] = {".", "..", p.name.c_str()};
	for (off_t i = off; i < 3; ++i) {
		struct stat st;
		std::memset(&st, 0, sizeof st);
		st.st_ino = i == 2 ? kFileIno : kRootIno;
		st.st_mode = i == 2 ? S_IFREG : S_IFDIR;
		size_t need = fuse_add_direntry(req, buf.data() + used, size - used, names[i], &st, i + 1);
		if (need > size - used)
			break;
		used += need;
	}
	fuse_reply_buf(req, buf.data(), used);
}

void op_open(fuse_req_t req, fuse_ino_t ino, fuse_file_info *fi)
{
	if (!is_file(state(req), ino)) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	fi->direct_io = 1; // as fuse_nodes' dev/ nodes
	fi->keep_cache = 0;
	fuse_reply_open(req, fi);
}

// With --direct: a page-aligned buffer of at least `size` bytes per worker
// thread, reused.
char *aligned_buffer(size_t size)
{
	thread_local char *buf = nullptr;
	thread_local size_t cap = 0;
	if (cap < size) {
		std::free(buf);
		cap = (size + 4095) & ~size_t{4095};
		buf = static_cast<char *>(std::aligned_alloc(4096, cap));
		if (!buf)
			cap = 0;
	}
	return buf;
}

bool g_direct = false;

void op_read(fuse_req_t req, fuse_ino_t, size_t size, off_t off, fuse_file_info *)
{
	// One buffer per worker thread, reused: no allocation per request.
	thread_local std::vector<char> vbuf;
	char *buf;
	if (g_direct) {
		buf = aligned_buffer(size);
		if (!buf)
			return (void)fuse_reply_err(req, ENOMEM);
	} else {
		if (vbuf.size() < size)
			vbuf.resize(size);
		buf = vbuf.data();
	}
	ssize_t n = pread(state(req).fd, buf, size, off);
	if (n < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_buf(req, buf, static_cast<size_t>(n));
}

void op_write_buf(fuse_req_t req, fuse_ino_t, fuse_bufvec *data, off_t off, fuse_file_info *)
{
	if (g_direct) {
		// O_DIRECT wants an aligned buffer: one copy into it.
		size_t size = fuse_buf_size(data);
		char *buf = aligned_buffer(size);
		if (!buf)
			return (void)fuse_reply_err(req, ENOMEM);
		fuse_bufvec mem = FUSE_BUFVEC_INIT(size);
		mem.buf[0].mem = buf;
		ssize_t got = fuse_buf_copy(&mem, data, FUSE_BUF_NO_SPLICE);
		ssize_t n = got < 0 ? got : pwrite(state(req).fd, buf, static_cast<size_t>(got), off);
		if (n < 0)
			fuse_reply_err(req, got < 0 ? static_cast<int>(-got) : errno);
		else
			fuse_reply_write(req, static_cast<size_t>(n));
		return;
	}
	// Straight from libfuse's buffer to the backing fd.
	fuse_bufvec dst = FUSE_BUFVEC_INIT(fuse_buf_size(data));
	dst.buf[0].flags = static_cast<fuse_buf_flags>(FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK);
	dst.buf[0].fd = state(req).fd;
	dst.buf[0].pos = off;
	ssize_t n = fuse_buf_copy(&dst, data, FUSE_BUF_NO_SPLICE);
	if (n < 0)
		fuse_reply_err(req, static_cast<int>(-n));
	else
		fuse_reply_write(req, static_cast<size_t>(n));
}

void op_flush(fuse_req_t req, fuse_ino_t, fuse_file_info *)
{
	fuse_reply_err(req, 0);
}
void op_release(fuse_req_t req, fuse_ino_t, fuse_file_info *)
{
	fuse_reply_err(req, 0);
}

void op_fsync(fuse_req_t req, fuse_ino_t, int datasync, fuse_file_info *)
{
	int fd = state(req).fd;
	int rc = datasync ? fdatasync(fd) : fsync(fd);
	fuse_reply_err(req, rc == 0 ? 0 : errno);
}

void op_fallocate(fuse_req_t req, fuse_ino_t, int mode, off_t off, off_t len, fuse_file_info *)
{
	int rc = fallocate(state(req).fd, mode, off, len);
	fuse_reply_err(req, rc == 0 ? 0 : (errno == ENOSYS ? EOPNOTSUPP : errno));
}

void op_statfs(fuse_req_t req, fuse_ino_t)
{
	struct statvfs st;
	if (fstatvfs(state(req).fd, &st) != 0)
		std::memset(&st, 0, sizeof st);
	fuse_reply_statfs(req, &st);
}

int usage(const char *argv0)
{
	std::fprintf(stderr, "usage: %s [--fuse-nodes | --direct] BACKING_FILE MOUNTPOINT [-f]\n", argv0);
	return 2;
}

// The backing file as a fuse_nodes block device, completing inline.
class FileBlockDevice : public umc::fuse::BlockDevice {
public:
	explicit FileBlockDevice(int fd) : fd_(fd) {}
	uint64_t capacity_bytes() const override
	{
		struct stat st;
		return fstat(fd_, &st) == 0 ? static_cast<uint64_t>(st.st_size) & ~511ull : 0;
	}
	umc::fuse::BlockLimits limits() const override { return {}; }
	void submit(bio_request *req) override
	{
		int status = 0;
		switch (req->op) {
		case BIO_OP_READ:
		case BIO_OP_WRITE: {
			ssize_t n = req->op == BIO_OP_READ ? preadv(fd_, req->iov, static_cast<int>(req->iovcnt),
								    static_cast<off_t>(req->offset))
							   : pwritev(fd_, req->iov, static_cast<int>(req->iovcnt),
								     static_cast<off_t>(req->offset));
			status = n < 0 ? -errno : (static_cast<uint64_t>(n) == req->length ? 0 : -EIO);
			break;
		}
		case BIO_OP_FLUSH:
			status = fdatasync(fd_) == 0 ? 0 : -errno;
			break;
		case BIO_OP_DISCARD:
		case BIO_OP_WRITE_ZEROES: {
			int mode = req->op == BIO_OP_DISCARD ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
							     : FALLOC_FL_ZERO_RANGE;
			status = fallocate(fd_, mode, static_cast<off_t>(req->offset),
					   static_cast<off_t>(req->length)) == 0
					 ? 0
					 : -errno;
			break;
		}
		default:
			status = -EOPNOTSUPP;
		}
		req->end_io(req, status);
	}

private:
	int fd_;
};

int run_fuse_nodes(int fd, const std::string &name, const char *mount_point, bool foreground)
{
	if (!foreground && daemon(0, 0) != 0)
		return 1;
	sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr); // every thread inherits this
	umc::fuse::FuseTreeOptions options;
	options.root = mount_point;
	options.debug = std::getenv("UMC_FUSE_DEBUG") != nullptr; // libfuse's request trace on stderr
	// For measurements: writes above this many bytes go in place (zero copy).
	if (const char *t = std::getenv("UMC_FUSE_WRITE_COPY_THRESHOLD"))
		options.write_copy_threshold = std::strtoull(t, nullptr, 0);
	umc::fuse::FuseTree tree(options);
	tree.add_block_device(name, std::make_shared<FileBlockDevice>(fd));
	std::string why;
	if (int rc = tree.start(&why); rc < 0) {
		std::fprintf(stderr, "umc-fuse-passthrough: %s\n", why.c_str());
		return 1;
	}
	std::printf("%s/dev/%s\n", tree.root().c_str(), name.c_str());
	std::fflush(stdout);
	int signo = 0;
	sigwait(&stop_signals, &signo);
	return tree.stop() == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
	const char *backing = nullptr, *mount_point = nullptr;
	bool foreground = false, via_fuse_nodes = false;
	for (int i = 1; i < argc; ++i) {
		if (std::strcmp(argv[i], "-f") == 0)
			foreground = true;
		else if (std::strcmp(argv[i], "--fuse-nodes") == 0)
			via_fuse_nodes = true;
		else if (std::strcmp(argv[i], "--direct") == 0)
			g_direct = true;
		else if (!backing)
			backing = argv[i];
		else if (!mount_point)
			mount_point = argv[i];
		else
			return usage(argv[0]);
	}
	if (!backing || !mount_point)
		return usage(argv[0]);

	Passthrough p;
	p.fd = open(backing, O_RDWR | O_CLOEXEC | (g_direct ? O_DIRECT : 0));
	if (p.fd < 0) {
		std::fprintf(stderr, "umc-fuse-passthrough: %s: %s\n", backing, std::strerror(errno));
		return 1;
	}
	struct stat mst;
	if (stat(mount_point, &mst) != 0) {
		std::fprintf(stderr, "umc-fuse-passthrough: %s: %s\n", mount_point, std::strerror(errno));
		return 1;
	}
	p.root_is_file = S_ISREG(mst.st_mode);
	std::string base = backing;
	p.name = base.substr(base.rfind('/') == std::string::npos ? 0 : base.rfind('/') + 1);
	if (via_fuse_nodes)
		return run_fuse_nodes(p.fd, p.name, mount_point, foreground);

	fuse_lowlevel_ops ops;
	std::memset(&ops, 0, sizeof ops);
	ops.init = op_init;
	ops.lookup = op_lookup;
	ops.getattr = op_getattr;
	ops.setattr = op_setattr;
	ops.readdir = op_readdir;
	ops.open = op_open;
	ops.read = op_read;
	ops.write_buf = op_write_buf;
	ops.flush = op_flush;
	ops.release = op_release;
	ops.fsync = op_fsync;
	ops.fallocate = op_fallocate;
	ops.statfs = op_statfs;

	std::string options = "fsname=umc-passthrough,subtype=umc-passthrough,default_permissions,max_read=" +
			      std::to_string(settings::kMaxRead);
	if (geteuid() == 0)
		options += ",allow_other";
	std::string arg0 = "umc-fuse-passthrough", arg1 = "-o";
	char *fuse_argv[] = {arg0.data(), arg1.data(), options.data(), nullptr};
	fuse_args args = FUSE_ARGS_INIT(3, fuse_argv);
	fuse_session *se = fuse_session_new(&args, &ops, sizeof ops, &p);
	fuse_opt_free_args(&args); // libfuse may have copied them
	if (!se)
		return 1;
	int rc = 1;
	if (fuse_set_signal_handlers(se) == 0) {
		if (fuse_session_mount(se, mount_point) == 0) {
			if (p.root_is_file)
				std::printf("%s\n", mount_point);
			else
				std::printf("%s/%s\n", mount_point, p.name.c_str());
			std::fflush(stdout);
			fuse_daemonize(foreground ? 1 : 0);
			fuse_loop_config *config = fuse_loop_cfg_create();
			fuse_loop_cfg_set_clone_fd(config, settings::kCloneFd ? 1 : 0);
			fuse_loop_cfg_set_max_threads(config, settings::kMaxThreads);
			fuse_loop_cfg_set_idle_threads(config, settings::kMaxIdleThreads);
			// 0, or the number of the signal that ended it: both are a clean stop.
			rc = fuse_session_loop_mt(se, config) < 0 ? 1 : 0;
			fuse_loop_cfg_destroy(config);
			fuse_session_unmount(se);
		}
		fuse_remove_signal_handlers(se);
	}
	fuse_session_destroy(se);
	close(p.fd);
	return rc;
}
