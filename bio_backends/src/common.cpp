// Shared helpers: messages, option parsing, backing-file opening, iov copies.
#include "common.hpp"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace bio {

int fail(const bio_open_args *args, int rc, const char *fmt, ...)
{
	if (args->err && args->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(args->err, args->errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

void log(const sys_service *sys, int level, const char *fmt, ...)
{
	if (!sys || !sys->log_enabled(level))
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sys->log_write(level, "bio", buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

int Options::size(std::string_view key, uint64_t *out) const
{
	*out = 0;
	const char *v = get(key);
	if (!v)
		return 0;
	if (bio_parse_size(v, out) < 0)
		return fail(a_, -EINVAL, "bad size %.*s=%s (want a positive number with optional K/M/G/T)",
			    (int)key.size(), key.data(), v);
	return 0;
}

int Options::boolean(std::string_view key, bool dflt, bool *out) const
{
	*out = dflt;
	const char *v = get(key);
	if (!v)
		return 0;
	int b;
	if (bio_parse_bool(v, &b) < 0)
		return fail(a_, -EINVAL, "bad boolean %.*s=%s (want 0/1/yes/no/true/false/on/off)", (int)key.size(),
			    key.data(), v);
	*out = b != 0;
	return 0;
}

int Options::uint(std::string_view key, uint64_t dflt, uint64_t min, uint64_t max, uint64_t *out) const
{
	*out = dflt;
	const char *v = get(key);
	if (!v)
		return 0;
	char *end = nullptr;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (!*v || *end || errno || n < min || n > max || v[0] == '-')
		return fail(a_, -EINVAL, "bad %.*s=%s (want an integer in %" PRIu64 "..%" PRIu64 ")", (int)key.size(),
			    key.data(), v, min, max);
	*out = n;
	return 0;
}

namespace {

// What BackingFile::open decided before touching anything (check stops here).
struct BackingPlan {
	const char *path = nullptr;
	uint64_t want_size = 0;
	bool exists = false;
	bool extend = false;
	struct stat st {};
	// Missing parent directories a create makes, outermost first.
	std::vector<std::string> missing_dirs;
};

std::string parent_of(const std::string &path)
{
	size_t slash = path.find_last_of('/');
	if (slash == std::string::npos)
		return ".";
	while (slash > 0 && path[slash - 1] == '/')
		slash--;
	return slash == 0 ? "/" : path.substr(0, slash);
}

int plan_backing(const bio_open_args *args, BackingPlan *p)
{
	Options o(args);
	const char *path = o.get("path");
	if (!path || !*path)
		return fail(args, -EINVAL, "path= is required");
	p->path = path;
	bool create;
	int rc;
	if ((rc = o.boolean("create", false, &create)) < 0 || (rc = o.size("size", &p->want_size)) < 0)
		return rc;
	if (p->want_size % 512)
		return fail(args, -EINVAL, "bad size=%s: not a multiple of 512", o.get("size"));

	struct stat &st = p->st;
	p->exists = ::stat(path, &st) == 0;
	if (!p->exists && errno != ENOENT && errno != ENOTDIR)
		return fail(args, -errno, "%s: %s", path, strerror(errno));
	if (!p->exists) {
		if (!create)
			return fail(args, -ENOENT, "%s: no such file (create=1 with size= creates it)", path);
		if (!p->want_size)
			return fail(args, -EINVAL, "%s: create=1 needs size=", path);
		// Like mkdir -p: the missing directories above the file are made too.
		for (std::string dir = parent_of(path);; dir = parent_of(dir)) {
			struct stat ds;
			if (::stat(dir.c_str(), &ds) == 0) {
				if (!S_ISDIR(ds.st_mode))
					return fail(args, -ENOTDIR, "%s: cannot create: %s is not a directory", path,
						    dir.c_str());
				break;
			}
			if (errno != ENOENT)
				return fail(args, -errno, "%s: cannot create: %s: %s", path, dir.c_str(),
					    strerror(errno));
			p->missing_dirs.insert(p->missing_dirs.begin(), dir);
			if (dir == "/" || dir == ".")
				break;
		}
	} else if (S_ISREG(st.st_mode)) {
		uint64_t fsize = (uint64_t)st.st_size;
		if (p->want_size > fsize) {
			if (!create)
				return fail(args, -EINVAL,
					    "%s: file is %" PRIu64 " bytes, smaller than size=%s (create=1 extends it)",
					    path, fsize, o.get("size"));
			p->extend = true;
		}
		if (!p->want_size) {
			p->want_size = fsize & ~(uint64_t)511;
			if (!p->want_size)
				return fail(args, -EINVAL, "%s: file is smaller than 512 bytes; give size=", path);
		}
	} else if (!S_ISBLK(st.st_mode)) {
		return fail(args, -EINVAL, "%s: not a regular file or block device", path);
	}
	return 0;
}

void remove_dirs(const std::vector<std::string> &dirs)
{
	for (auto it = dirs.rbegin(); it != dirs.rend(); ++it)
		::rmdir(it->c_str());
}

} // namespace

int BackingFile::check(const bio_open_args *args)
{
	BackingPlan p;
	if (int rc = plan_backing(args, &p); rc < 0)
		return rc;
	const char *path = p.path;
	if (!p.exists) {
		// The file (and any missing directory) goes into the nearest
		// existing directory: it must be writable.
		std::string dir = p.missing_dirs.empty() ? parent_of(path) : parent_of(p.missing_dirs.front());
		if (::access(dir.c_str(), W_OK | X_OK) < 0)
			return fail(args, -errno, "%s: cannot create: %s: %s", path, dir.c_str(), strerror(errno));
		return 0;
	}
	if (::access(path, R_OK | W_OK) < 0)
		return fail(args, -errno, "%s: %s", path, strerror(errno));
	if (S_ISBLK(p.st.st_mode)) {
		// Its size, read-only: nothing is opened for writing here.
		int rfd = ::open(path, O_RDONLY | O_CLOEXEC);
		if (rfd < 0)
			return fail(args, -errno, "%s: %s", path, strerror(errno));
		uint64_t bsize = 0;
		int rc = 0;
		if (ioctl(rfd, BLKGETSIZE64, &bsize) < 0)
			rc = fail(args, -errno, "%s: cannot query block device: %s", path, strerror(errno));
		else if (p.want_size > bsize)
			rc = fail(args, -EINVAL, "%s: device is %" PRIu64 " bytes, smaller than size=%s", path, bsize,
				  Options(args).get("size"));
		::close(rfd);
		return rc;
	}
	return 0;
}

int BackingFile::open(const bio_open_args *args, bool want_direct)
{
	BackingPlan p;
	int rc = plan_backing(args, &p);
	if (rc < 0)
		return rc;
	Options o(args);
	const char *path = p.path;
	const bool exists = p.exists;
	const struct stat &st = p.st;
	uint64_t want_size = p.want_size;

	for (const std::string &dir : p.missing_dirs) {
		if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST) {
			rc = fail(args, -errno, "%s: cannot create directory %s: %s", path, dir.c_str(),
				  strerror(errno));
			remove_dirs(created_dirs);
			created_dirs.clear();
			return rc;
		}
		created_dirs.push_back(dir);
	}

	int flags = O_RDWR | O_CLOEXEC;
	if (!exists)
		flags |= O_CREAT | O_EXCL;
	fd = ::open(path, flags, 0644);
	if (fd < 0) {
		rc = fail(args, -errno, "%s: %s", path, strerror(errno));
		remove_dirs(created_dirs);
		created_dirs.clear();
		return rc;
	}

	if (exists && S_ISBLK(st.st_mode)) {
		is_blockdev = true;
		uint64_t bsize = 0;
		int ssz = 512;
		unsigned int pssz = 4096;
		if (ioctl(fd, BLKGETSIZE64, &bsize) < 0 || ioctl(fd, BLKSSZGET, &ssz) < 0) {
			rc = fail(args, -errno, "%s: cannot query block device: %s", path, strerror(errno));
			goto out_close;
		}
		if (ioctl(fd, BLKPBSZGET, &pssz) < 0)
			pssz = (unsigned)ssz;
		lbs = (uint32_t)ssz;
		pbs = pssz < lbs ? lbs : pssz;
		if (want_size > bsize) {
			rc = fail(args, -EINVAL, "%s: device is %" PRIu64 " bytes, smaller than size=%s", path, bsize,
				  o.get("size"));
			goto out_close;
		}
		if (!want_size)
			want_size = bsize;
		want_size -= want_size % lbs;
		dio_offset_align = lbs;
	}
	if (!exists || p.extend) {
		if (ftruncate(fd, (off_t)want_size) < 0) {
			rc = fail(args, -errno, "%s: cannot size the file: %s", path, strerror(errno));
			goto out_close;
		}
	}
	size = want_size;
	created = !exists;
	this->path = path;

	if (want_direct) {
		direct_fd = ::open(path, O_RDWR | O_CLOEXEC | O_DIRECT);
		// Some file systems refuse O_DIRECT; the buffered fd serves all I/O then.
		if (direct_fd >= 0) {
			struct statx sx;
			if (statx(direct_fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &sx) == 0 &&
			    (sx.stx_mask & STATX_DIOALIGN) && sx.stx_dio_mem_align) {
				dio_mem_align = sx.stx_dio_mem_align;
				dio_offset_align = sx.stx_dio_offset_align;
			} else if (!is_blockdev) {
				// Unknown: be conservative; a refused request falls back anyway.
				dio_mem_align = 4096;
				dio_offset_align = 4096;
			}
		}
	}
	return 0;

out_close:
	::close(fd);
	fd = -1;
	if (!exists)
		::unlink(path);
	remove_dirs(created_dirs);
	created_dirs.clear();
	return rc;
}

void BackingFile::abandon()
{
	close();
	if (created)
		::unlink(path.c_str());
	created = false;
	remove_dirs(created_dirs);
	created_dirs.clear();
}

void BackingFile::close()
{
	if (direct_fd >= 0)
		::close(direct_fd);
	if (fd >= 0)
		::close(fd);
	fd = direct_fd = -1;
}

void copy_from_iov(void *dst, const iovec *iov, uint32_t iovcnt, uint64_t len)
{
	auto *d = static_cast<char *>(dst);
	for (uint32_t i = 0; i < iovcnt && len; i++) {
		size_t n = iov[i].iov_len < len ? iov[i].iov_len : len;
		memcpy(d, iov[i].iov_base, n);
		d += n;
		len -= n;
	}
}

void copy_to_iov(const iovec *iov, uint32_t iovcnt, const void *src, uint64_t len)
{
	auto *s = static_cast<const char *>(src);
	for (uint32_t i = 0; i < iovcnt && len; i++) {
		size_t n = iov[i].iov_len < len ? iov[i].iov_len : len;
		memcpy(iov[i].iov_base, s, n);
		s += n;
		len -= n;
	}
}

} // namespace bio

extern "C" int bio_parse_size(const char *text, uint64_t *out)
{
	if (!text || !*text || *text < '0' || *text > '9')
		return -EINVAL;
	char *end = nullptr;
	errno = 0;
	unsigned long long n = strtoull(text, &end, 10);
	if (errno)
		return -EINVAL;
	unsigned shift = 0;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	case 't':
	case 'T':
		shift = 40;
		end++;
		break;
	default:
		break;
	}
	if (shift && (!strcmp(end, "iB") || !strcmp(end, "B")))
		end += strlen(end);
	if (*end || n == 0 || (shift && n > (UINT64_MAX >> shift)))
		return -EINVAL;
	*out = (uint64_t)n << shift;
	return 0;
}

extern "C" int bio_parse_bool(const char *t, int *out)
{
	if (!t)
		return -EINVAL;
	if (!*t || !strcmp(t, "1") || !strcasecmp(t, "yes") || !strcasecmp(t, "true") || !strcasecmp(t, "on")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(t, "0") || !strcasecmp(t, "no") || !strcasecmp(t, "false") || !strcasecmp(t, "off")) {
		*out = 0;
		return 0;
	}
	return -EINVAL;
}
