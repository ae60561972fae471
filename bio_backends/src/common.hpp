// Shared helpers for the backends (internal; not installed).
#pragma once

#include "bio_backends/bio_backend.h"
#include "mte/sys_service.h"

#include <condition_variable>
#include <cstdarg>
#include <cstdint>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bio {

// Format a one-line reason into the caller's buffer and return `rc` so a
// failing open can be written as `return fail(args, -EINVAL, "...", ...)`.
int fail(const bio_open_args *args, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

// Log through mte, tagged "bio".
void log(const sys_service *sys, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

// Objects live in mte memory so that sys_service_close() reports leaks of
// devices and per-device state by caller.
template <class T, class... A> T *make(const sys_service *sys, const char *caller, A &&...a)
{
	void *p = sys->mem_alloc(sizeof(T), alignof(T) > 16 ? alignof(T) : 0, caller);
	if (!p)
		return nullptr;
	return new (p) T(std::forward<A>(a)...);
}
template <class T> void destroy(const sys_service *sys, T *obj)
{
	if (!obj)
		return;
	obj->~T();
	sys->mem_free(obj);
}

#define BIO_STR2(x) #x
#define BIO_STR(x)  BIO_STR2(x)
#define BIO_HERE    __FILE__ ":" BIO_STR(__LINE__)

// Option lookup over the registry-checked list (no duplicates, known keys).
class Options {
public:
	explicit Options(const bio_open_args *a) : a_(a) {}
	const char *get(std::string_view key) const
	{
		for (size_t i = 0; i < a_->nopts; i++)
			if (key == a_->opts[i].key)
				return a_->opts[i].value;
		return nullptr;
	}
	bool has(std::string_view key) const { return get(key) != nullptr; }
	// Size-valued option; 0 when absent.  Returns -EINVAL with a message.
	int size(std::string_view key, uint64_t *out) const;
	int boolean(std::string_view key, bool dflt, bool *out) const;
	int uint(std::string_view key, uint64_t dflt, uint64_t min, uint64_t max, uint64_t *out) const;

private:
	const bio_open_args *a_;
};

// A backing file for the file backends (mmap, uring, aio).  Options:
//   path=    file or block device (required)
//   create=1 create a missing regular file (needs size=), and any missing
//            directory above it (mkdir -p)
//   size=    device size; a larger file exposes only its first `size` bytes,
//            a smaller one is refused unless create=1, which extends it.
// Nothing is created or changed until every check passed.
struct BackingFile {
	int fd = -1;        // the buffered (or only) fd
	int direct_fd = -1; // O_DIRECT fd when it could be opened, else -1
	uint64_t size = 0;  // device size
	bool is_blockdev = false;
	uint32_t dio_mem_align = 512;    // O_DIRECT buffer alignment
	uint32_t dio_offset_align = 512; // O_DIRECT offset/length alignment
	uint32_t lbs = 512;              // logical block size we expose
	uint32_t pbs = 4096;             // physical block size we expose

	bool created = false; // open() made the file (create=1)
	std::string path;
	std::vector<std::string> created_dirs; // directories open() made, outermost first

	// want_direct: also open an O_DIRECT fd if the file system allows it.
	int open(const bio_open_args *args, bool want_direct);
	// What open would refuse, without creating anything or opening for
	// writing (bio_backend_ops.check).
	static int check(const bio_open_args *args);
	void close();
	// For an open that fails after this succeeded: close, and remove the
	// file (and the directories) again if this open created them.
	void abandon();
};

// Counts requests between submit and completion so close() can wait.
class InFlight {
public:
	void get()
	{
		std::lock_guard<std::mutex> g(m_);
		n_++;
	}
	void put()
	{
		std::lock_guard<std::mutex> g(m_);
		if (--n_ == 0)
			cv_.notify_all();
	}
	void wait_idle()
	{
		std::unique_lock<std::mutex> g(m_);
		cv_.wait(g, [this] { return n_ == 0; });
	}
	uint64_t count()
	{
		std::lock_guard<std::mutex> g(m_);
		return n_;
	}

private:
	std::mutex m_;
	std::condition_variable cv_;
	uint64_t n_ = 0;
};

inline void complete(bio_request *req, int status)
{
	req->end_io(req, status);
}

// Copy between a request's iovec and a flat buffer.
void copy_from_iov(void *dst, const iovec *iov, uint32_t iovcnt, uint64_t len);
void copy_to_iov(const iovec *iov, uint32_t iovcnt, const void *src, uint64_t len);

} // namespace bio

// Built-in backend tables.
extern "C" {
extern const struct bio_backend_ops bio_ram_backend;
extern const struct bio_backend_ops bio_mmap_backend;
extern const struct bio_backend_ops bio_uring_backend;
extern const struct bio_backend_ops bio_aio_backend;
extern const struct bio_backend_ops bio_fault_backend;
extern const struct bio_backend_ops bio_tcmu_backend;
}
