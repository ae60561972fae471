// tcmu: serves a device through a tcmu-runner backstore handler loaded from
// Debian's tcmu-runner package (e.g. handler_qcow.so for qcow/qcow2 images).
//
// Options: handler=<subtype or path of a handler_*.so> (required),
// path=<image> (required), size= (default: the qcow2 header's virtual size
// for handler=qcow, otherwise required), block_size= (512 or 4096, default
// 512), handler_dir= (default /usr/lib/x86_64-linux-gnu/tcmu-runner).
//
// How it works.  A handler is a shared object whose handler_init() calls
// tcmur_register_handler() with a `struct tcmur_handler` (tcmu-runner
// 1.5.x layout, mirrored below as an ABI, not included).  The handler calls
// back a dozen host functions (tcmu_dev_get_cfgstring, tcmu_iovec_seek, the
// log functions, ...); this file defines them with default visibility, and
// the bio_backends CMake target exports them from every executable that
// links it (--export-dynamic-symbol), so dlopen() resolves them.  The device
// handed to the handler is our own `struct tcmu_device`: handlers only reach
// it through those functions.
//
// Only synchronous handlers (nr_threads > 0, as qcow) are hosted.  Their
// read/write/flush return the SCSI-level status; they run one at a time on
// the device's "tcmu" mte task, where end_io is called.  FUA is write then
// flush; PREFLUSH is flush then the op.  DISCARD/WRITE_ZEROES are not
// offered.  Loaded handlers stay loaded until the process exits (a handler
// has no unload contract we could rely on).
#include "../common.hpp"

#include <cerrno>
#include <cinttypes>
#include <cstdarg>
#include <cstring>
#include <ctime>
#include <dlfcn.h>
#include <fcntl.h>
#include <map>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

// ---- the tcmu-runner 1.5 handler ABI ---------------------------------------

extern "C" {

struct tcmu_device {
	char cfgstring[4352]; // "<subtype>/<config>"
	uint32_t block_size;
	uint64_t size;
	void *handler_private;
	bool write_cache;
	const sys_service *sys;
};

struct tcmur_cmd; // handlers see it only as a pointer we pass back

struct tcmur_handler {
	const char *name;
	const char *subtype;
	const char *cfg_desc;
	void *opaque;
	bool (*check_config)(const char *cfgstring, char **reason);
	int (*reconfig)(struct tcmu_device *dev, void *cfg);
	int (*open)(struct tcmu_device *dev, bool reopen);
	void (*close)(struct tcmu_device *dev);
	int nr_threads;
	int (*handle_cmd)(struct tcmu_device *dev, struct tcmur_cmd *cmd);
	int (*read)(struct tcmu_device *dev, struct tcmur_cmd *cmd, struct iovec *iov, size_t iov_cnt, size_t len,
		    off_t off);
	int (*write)(struct tcmu_device *dev, struct tcmur_cmd *cmd, struct iovec *iov, size_t iov_cnt, size_t len,
		     off_t off);
	int (*flush)(struct tcmu_device *dev, struct tcmur_cmd *cmd);
	int (*unmap)(struct tcmu_device *dev, struct tcmur_cmd *cmd, uint64_t off, uint64_t len);
	int (*report_event)(struct tcmu_device *dev);
	int (*lock)(struct tcmu_device *dev, uint16_t tag);
	int (*unlock)(struct tcmu_device *dev);
	int (*get_lock_tag)(struct tcmu_device *dev, uint16_t *tag);
	int (*get_lock_state)(struct tcmu_device *dev);
	bool is_dbus_handler;
	bool (*update_logdir)(void);
};

// The command object: same layout as tcmu-runner's so that a handler that
// reads a field or calls `done` finds them where it expects.
struct tcmur_cmd {
	void *lib_cmd;
	struct iovec *iovec;
	size_t iov_cnt;
	void *iov_base_copy;
	void *cmd_state;
	size_t requested;
	void *list_next, *list_prev;
	struct timespec start_time;
	bool timed_out;
	void (*done)(struct tcmu_device *dev, struct tcmur_cmd *cmd, int ret);
};

#define BIO_EXPORT __attribute__((visibility("default")))

BIO_EXPORT int tcmur_register_handler(struct tcmur_handler *handler);
BIO_EXPORT bool tcmur_unregister_handler(struct tcmur_handler *handler);
BIO_EXPORT void *tcmur_dev_get_private(struct tcmu_device *dev);
BIO_EXPORT void tcmur_dev_set_private(struct tcmu_device *dev, void *priv);
BIO_EXPORT char *tcmu_dev_get_cfgstring(struct tcmu_device *dev);
BIO_EXPORT uint32_t tcmu_dev_get_block_size(struct tcmu_device *dev);
BIO_EXPORT uint64_t tcmu_dev_get_num_lbas(struct tcmu_device *dev);
BIO_EXPORT void tcmu_dev_set_write_cache_enabled(struct tcmu_device *dev, bool enabled);
BIO_EXPORT bool tcmu_dev_get_write_cache_enabled(struct tcmu_device *dev);
BIO_EXPORT uint64_t tcmu_cfgfs_dev_get_info_u64(struct tcmu_device *dev, const char *name, int *fn_ret);
BIO_EXPORT size_t tcmu_iovec_length(struct iovec *iov, size_t iov_cnt);
BIO_EXPORT size_t tcmu_iovec_seek(struct iovec *iov, size_t count);
BIO_EXPORT void tcmu_iovec_zero(struct iovec *iov, size_t iov_cnt);
BIO_EXPORT size_t tcmu_memcpy_into_iovec(struct iovec *iov, size_t iov_cnt, void *src, size_t len);
BIO_EXPORT size_t tcmu_memcpy_from_iovec(void *dst, size_t len, struct iovec *iov, size_t iov_cnt);
BIO_EXPORT void tcmu_err_message(struct tcmu_device *dev, const char *func, int line, const char *fmt, ...);
BIO_EXPORT void tcmu_warn_message(struct tcmu_device *dev, const char *func, int line, const char *fmt, ...);
BIO_EXPORT void tcmu_info_message(struct tcmu_device *dev, const char *func, int line, const char *fmt, ...);
BIO_EXPORT void tcmu_dbg_message(struct tcmu_device *dev, const char *func, int line, const char *fmt, ...);

} // extern "C"

namespace {

// TCMU_STS_OK; any other status is a failure we report as -EIO.
constexpr int kStsOk = 0;

std::mutex g_load_lock;                          // dlopen + handler_init, one at a time
std::map<std::string, tcmur_handler *> g_loaded; // .so path -> its handler
tcmur_handler *g_registering;                    // set by tcmur_register_handler
std::atomic<const sys_service *> g_sys{nullptr}; // for messages with dev == NULL

void vmsg(tcmu_device *dev, int level, const char *func, int line, const char *fmt, va_list ap)
{
	const sys_service *sys = dev && dev->sys ? dev->sys : g_sys.load();
	if (!sys || !sys->log_enabled(level))
		return;
	char buf[400];
	vsnprintf(buf, sizeof buf, fmt, ap);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	bio::log(sys, level, "tcmu handler %s:%d: %s", func ? func : "?", line, buf);
}

} // namespace

extern "C" {

int tcmur_register_handler(struct tcmur_handler *handler)
{
	g_registering = handler; // called from handler_init, under g_load_lock
	return 0;
}
bool tcmur_unregister_handler(struct tcmur_handler *)
{
	return true;
}
void *tcmur_dev_get_private(struct tcmu_device *dev)
{
	return dev->handler_private;
}
void tcmur_dev_set_private(struct tcmu_device *dev, void *priv)
{
	dev->handler_private = priv;
}
char *tcmu_dev_get_cfgstring(struct tcmu_device *dev)
{
	return dev->cfgstring;
}
uint32_t tcmu_dev_get_block_size(struct tcmu_device *dev)
{
	return dev->block_size;
}
uint64_t tcmu_dev_get_num_lbas(struct tcmu_device *dev)
{
	return dev->size / dev->block_size;
}
void tcmu_dev_set_write_cache_enabled(struct tcmu_device *dev, bool enabled)
{
	dev->write_cache = enabled;
}
bool tcmu_dev_get_write_cache_enabled(struct tcmu_device *dev)
{
	return dev->write_cache;
}

uint64_t tcmu_cfgfs_dev_get_info_u64(struct tcmu_device *dev, const char *name, int *fn_ret)
{
	// The only configfs "info" key handlers ask for is the device size.
	if (name && !strcmp(name, "Size")) {
		*fn_ret = 0;
		return dev->size;
	}
	*fn_ret = -EINVAL;
	return 0;
}

size_t tcmu_iovec_length(struct iovec *iov, size_t iov_cnt)
{
	size_t n = 0;
	for (size_t i = 0; i < iov_cnt; i++)
		n += iov[i].iov_len;
	return n;
}

// Consume `count` bytes from the front of the iovec, in place.
size_t tcmu_iovec_seek(struct iovec *iov, size_t count)
{
	size_t consumed = 0;
	while (count) {
		size_t step = iov->iov_len < count ? iov->iov_len : count;
		iov->iov_base = static_cast<char *>(iov->iov_base) + step;
		iov->iov_len -= step;
		count -= step;
		consumed += step;
		if (!iov->iov_len)
			iov++;
	}
	return consumed;
}

void tcmu_iovec_zero(struct iovec *iov, size_t iov_cnt)
{
	for (size_t i = 0; i < iov_cnt; i++)
		memset(iov[i].iov_base, 0, iov[i].iov_len);
}

// Copy into the iovec and consume what was filled (tcmu-runner semantics).
size_t tcmu_memcpy_into_iovec(struct iovec *iov, size_t iov_cnt, void *src, size_t len)
{
	size_t done = 0;
	for (; len && iov_cnt; iov++, iov_cnt--) {
		size_t n = iov->iov_len < len ? iov->iov_len : len;
		memcpy(iov->iov_base, static_cast<char *>(src) + done, n);
		iov->iov_base = static_cast<char *>(iov->iov_base) + n;
		iov->iov_len -= n;
		done += n;
		len -= n;
	}
	return done;
}

size_t tcmu_memcpy_from_iovec(void *dst, size_t len, struct iovec *iov, size_t iov_cnt)
{
	size_t done = 0;
	for (; len && iov_cnt; iov++, iov_cnt--) {
		size_t n = iov->iov_len < len ? iov->iov_len : len;
		memcpy(static_cast<char *>(dst) + done, iov->iov_base, n);
		iov->iov_base = static_cast<char *>(iov->iov_base) + n;
		iov->iov_len -= n;
		done += n;
		len -= n;
	}
	return done;
}

#define BIO_TCMU_MSG(fn, level)                                                            \
	void fn(struct tcmu_device *dev, const char *func, int line, const char *fmt, ...) \
	{                                                                                  \
		va_list ap;                                                                \
		va_start(ap, fmt);                                                         \
		vmsg(dev, level, func, line, fmt, ap);                                     \
		va_end(ap);                                                                \
	}
BIO_TCMU_MSG(tcmu_err_message, SYS_LOG_ERROR)
BIO_TCMU_MSG(tcmu_warn_message, SYS_LOG_WARN)
BIO_TCMU_MSG(tcmu_info_message, SYS_LOG_INFO)
BIO_TCMU_MSG(tcmu_dbg_message, SYS_LOG_DEBUG)

} // extern "C"

namespace {

struct TcmuDev {
	tcmu_device dev{};
	tcmur_handler *h = nullptr;
	sys_task_t *task = nullptr;
	bio::InFlight inflight;
	const sys_service *sys = nullptr;
};

// Load (once) the handler in `so` and return what it registered.
int load_handler(const bio_open_args *args, const std::string &so, tcmur_handler **out)
{
	std::lock_guard<std::mutex> g(g_load_lock);
	auto it = g_loaded.find(so);
	if (it != g_loaded.end()) {
		*out = it->second;
		return 0;
	}
	struct stat st;
	if (stat(so.c_str(), &st) < 0)
		return bio::fail(args, -ENOENT, "tcmu: handler %s not found (is tcmu-runner installed?)", so.c_str());
	void *dl = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
	if (!dl)
		return bio::fail(args, -ENOEXEC,
				 "tcmu: cannot load %s: %s (the executable must export the tcmu_* host functions)",
				 so.c_str(), dlerror());
	auto init = reinterpret_cast<int (*)(void)>(dlsym(dl, "handler_init"));
	if (!init) {
		dlclose(dl);
		return bio::fail(args, -ENOEXEC, "tcmu: %s has no handler_init", so.c_str());
	}
	g_registering = nullptr;
	int rc = init();
	tcmur_handler *h = g_registering;
	g_registering = nullptr;
	if (rc != 0 || !h) {
		dlclose(dl);
		return bio::fail(args, -ENOEXEC, "tcmu: %s: handler_init failed (%d)", so.c_str(), rc);
	}
	g_loaded[so] = h; // stays loaded: dl is deliberately not closed
	*out = h;
	return 0;
}

// Virtual size from a qcow (v1) or qcow2 header: magic "QFI\xfb", size at 24.
int qcow_virtual_size(const char *path, uint64_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unsigned char h[32];
	ssize_t n = pread(fd, h, sizeof h, 0);
	close(fd);
	if (n != (ssize_t)sizeof h || memcmp(h, "QFI\xfb", 4))
		return -EINVAL;
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | h[24 + i];
	*size = v;
	return 0;
}

void tcmu_work(void *arg)
{
	auto *req = static_cast<bio_request *>(arg);
	auto *t = reinterpret_cast<TcmuDev *>(req->backend_ctx[0]);
	tcmur_cmd cmd{};
	// Synchronous handlers return the status; if one calls done instead we
	// take that (cmd_state carries the slot).
	struct Slot {
		int called, status;
	} slot{0, 0};
	cmd.cmd_state = &slot;
	cmd.done = [](tcmu_device *, tcmur_cmd *c, int ret) {
		auto *s = static_cast<Slot *>(c->cmd_state);
		s->called = 1;
		s->status = ret;
	};
	auto run = [&](int st) { return slot.called ? slot.status : st; };
	// A handler without flush has no volatile cache to flush.
	auto flush = [&]() { return t->h->flush ? run(t->h->flush(&t->dev, &cmd)) : kStsOk; };

	int st = kStsOk;
	if (req->op == BIO_OP_FLUSH || (req->flags & BIO_REQ_PREFLUSH))
		st = flush();
	if (st == kStsOk && (req->op == BIO_OP_READ || req->op == BIO_OP_WRITE)) {
		// Handlers consume the iovec in place: give them a copy.
		iovec small[16];
		iovec *iov =
			req->iovcnt <= 16
				? small
				: static_cast<iovec *>(t->sys->mem_alloc(sizeof(iovec) * req->iovcnt, 0, BIO_HERE));
		if (!iov) {
			bio::complete(req, -ENOMEM);
			t->inflight.put();
			return;
		}
		memcpy(iov, req->iov, sizeof(iovec) * req->iovcnt);
		slot = {0, 0};
		cmd.iovec = iov;
		cmd.iov_cnt = req->iovcnt;
		cmd.requested = req->length;
		if (req->op == BIO_OP_READ)
			st = run(t->h->read(&t->dev, &cmd, iov, req->iovcnt, req->length, (off_t)req->offset));
		else
			st = run(t->h->write(&t->dev, &cmd, iov, req->iovcnt, req->length, (off_t)req->offset));
		if (iov != small)
			t->sys->mem_free(iov);
		if (st == kStsOk && req->op == BIO_OP_WRITE && (req->flags & BIO_REQ_FUA)) {
			slot = {0, 0};
			st = flush();
		}
	}
	bio::complete(req, st == kStsOk ? 0 : -EIO);
	t->inflight.put();
}

// The checks before anything is loaded or opened: the handler's .so, the
// image, its size.
struct TcmuPlan {
	const char *path = nullptr;
	std::string sub, so;
	uint64_t size = 0, bs = 512;
};

int tcmu_plan(const bio_open_args *args, TcmuPlan *p)
{
	bio::Options o(args);
	const char *handler = o.get("handler"), *path = o.get("path");
	const char *dir = o.get("handler_dir");
	if (!handler || !*handler)
		return bio::fail(args, -EINVAL, "tcmu: handler= is required (e.g. handler=qcow)");
	if (!path || !*path)
		return bio::fail(args, -EINVAL, "tcmu: path= is required (the image the handler opens)");
	p->path = path;
	int rc;
	if ((rc = o.size("size", &p->size)) < 0 || (rc = o.uint("block_size", 512, 512, 4096, &p->bs)) < 0)
		return rc;
	if (p->bs != 512 && p->bs != 4096)
		return bio::fail(args, -EINVAL, "tcmu: block_size must be 512 or 4096");
	struct stat st;
	if (stat(path, &st) < 0)
		return bio::fail(args, -ENOENT,
				 "tcmu: %s: no such file (create it first, e.g. qemu-img create -f qcow2)", path);
	std::string &sub = p->sub, &so = p->so;
	sub = handler;
	if (sub.find('/') != std::string::npos) {
		so = sub;
		size_t b = so.rfind("handler_"), e = so.rfind(".so");
		sub = b != std::string::npos && e != std::string::npos && e > b + 8 ? so.substr(b + 8, e - b - 8) : sub;
	} else {
		so = std::string(dir && *dir ? dir : "/usr/lib/x86_64-linux-gnu/tcmu-runner") + "/handler_" + sub +
		     ".so";
	}
	if (!p->size) {
		if (qcow_virtual_size(path, &p->size) < 0)
			return bio::fail(args, -EINVAL, "tcmu: %s: give size= (no qcow header to read it from)", path);
	}
	if (!p->size || p->size % p->bs)
		return bio::fail(args, -EINVAL, "tcmu: bad size %" PRIu64 " (a positive multiple of %" PRIu64 ")",
				 p->size, p->bs);
	return 0;
}

int tcmu_check(const bio_open_args *args)
{
	TcmuPlan p;
	if (int rc = tcmu_plan(args, &p); rc < 0)
		return rc;
	struct stat st;
	if (stat(p.so.c_str(), &st) < 0)
		return bio::fail(args, -ENOENT, "tcmu: handler %s not found (is tcmu-runner installed?)", p.so.c_str());
	if (access(p.path, R_OK | W_OK) < 0)
		return bio::fail(args, -errno, "tcmu: %s: %s", p.path, strerror(errno));
	return 0;
}

int tcmu_open(bio_device *dev, const bio_open_args *args)
{
	TcmuPlan p;
	int rc = tcmu_plan(args, &p);
	if (rc < 0)
		return rc;
	const char *path = p.path;
	const std::string &sub = p.sub, &so = p.so;
	const uint64_t size = p.size, bs = p.bs;

	g_sys = args->sys;
	tcmur_handler *h = nullptr;
	if ((rc = load_handler(args, so, &h)) < 0)
		return rc;
	if (h->nr_threads <= 0 || !h->read || !h->write || !h->open)
		return bio::fail(
			args, -EOPNOTSUPP,
			"tcmu: handler %s is asynchronous or lacks read/write; only synchronous handlers are hosted",
			sub.c_str());

	TcmuDev *t = bio::make<TcmuDev>(args->sys, BIO_HERE);
	if (!t)
		return bio::fail(args, -ENOMEM, "tcmu: out of memory");
	t->sys = args->sys;
	t->h = h;
	snprintf(t->dev.cfgstring, sizeof t->dev.cfgstring, "%s/%s", h->subtype ? h->subtype : sub.c_str(), path);
	t->dev.block_size = (uint32_t)bs;
	t->dev.size = size;
	t->dev.sys = args->sys;
	if (h->check_config) {
		char *reason = nullptr;
		if (!h->check_config(t->dev.cfgstring, &reason)) {
			rc = bio::fail(args, -EINVAL, "tcmu: %s refuses %s: %s", sub.c_str(), path,
				       reason ? reason : "invalid config");
			free(reason);
			bio::destroy(args->sys, t);
			return rc;
		}
		free(reason);
	}
	if (h->open(&t->dev, false) != 0) {
		bio::destroy(args->sys, t);
		return bio::fail(args, -EIO, "tcmu: handler %s could not open %s (see the log)", sub.c_str(), path);
	}
	if ((rc = args->sys->task_create(&t->task, "tcmu", nullptr, nullptr)) < 0) {
		h->close(&t->dev);
		bio::destroy(args->sys, t);
		return bio::fail(args, rc, "tcmu: cannot start its task");
	}
	dev->priv = t;
	dev->size = size;
	// FUA is emulated as write + full flush, so only FLUSH is advertised.
	dev->caps.features = h->flush ? BIO_CAP_FLUSH : 0;
	dev->caps.logical_block_size = (uint32_t)bs;
	dev->caps.physical_block_size = (uint32_t)bs;
	dev->caps.optimal_io_size = 64 * 1024;
	dev->caps.max_io_size = 1u << 20;
	dev->caps.queue_depth = 1;
	return 0;
}

void tcmu_close(bio_device *dev)
{
	auto *t = static_cast<TcmuDev *>(dev->priv);
	t->inflight.wait_idle();
	dev->sys->task_destroy(t->task);
	if (t->h->close)
		t->h->close(&t->dev);
	bio::destroy(dev->sys, t);
}

void tcmu_submit(bio_device *dev, bio_request *req)
{
	auto *t = static_cast<TcmuDev *>(dev->priv);
	req->backend_ctx[0] = reinterpret_cast<uintptr_t>(t);
	t->inflight.get();
	int rc = dev->sys->task_post(t->task, SYS_PRIO_NORMAL, tcmu_work, req);
	if (rc < 0) {
		t->inflight.put();
		bio::complete(req, rc);
	}
}

const char *const tcmu_keys[] = {"handler", "path", "size", "block_size", "handler_dir", nullptr};

} // namespace

extern "C" const struct bio_backend_ops bio_tcmu_backend = {
	BIO_BACKEND_VERSION,
	sizeof(bio_backend_ops),
	"tcmu",
	"a tcmu-runner handler, e.g. qcow (handler=, path=, size=, block_size=)",
	tcmu_keys,
	tcmu_open,
	tcmu_close,
	tcmu_submit,
	nullptr,
	tcmu_check,
	{},
};
