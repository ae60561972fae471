#include "mount_guard.hpp"
#include "fuse_nodes/fuse_tree.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace umc::fuse {

namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape_mountinfo(const std::string &field)
{
	std::string out;
	for (size_t i = 0; i < field.size(); ++i) {
		if (field[i] == '\\' && i + 3 < field.size()) {
			int value = 0;
			bool octal = true;
			for (size_t k = 1; k <= 3; ++k) {
				char c = field[i + k];
				if (c < '0' || c > '7') {
					octal = false;
					break;
				}
				value = value * 8 + (c - '0');
			}
			if (octal) {
				out.push_back(static_cast<char>(value));
				i += 3;
				continue;
			}
		}
		out.push_back(field[i]);
	}
	return out;
}

int mkdir_p(const std::string &path)
{
	std::string partial;
	size_t pos = 0;
	while (pos <= path.size()) {
		size_t slash = path.find('/', pos);
		if (slash == std::string::npos)
			slash = path.size();
		partial = path.substr(0, slash);
		if (!partial.empty() && mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
			return -errno;
		pos = slash + 1;
	}
	return 0;
}

} // namespace

std::string mounted_at(const std::string &path)
{
	std::ifstream in("/proc/self/mountinfo");
	std::string line;
	std::string found;
	while (std::getline(in, line)) {
		std::istringstream fields(line);
		std::string id, parent, devno, root, mount_point;
		fields >> id >> parent >> devno >> root >> mount_point;
		if (unescape_mountinfo(mount_point) != path)
			continue;
		// Skip optional fields up to the "-" separator.
		std::string word;
		while (fields >> word && word != "-") {
		}
		std::string fstype, source;
		fields >> fstype >> source;
		found = fstype + " " + unescape_mountinfo(source); // the last (topmost) one wins
	}
	return found;
}

std::string check_fs_root(const std::string &root)
{
	if (root.empty() || root[0] != '/')
		return "FUSE root must be an absolute path: '" + root + "'";
	struct stat st;
	if (stat(root.c_str(), &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return "cannot create FUSE root " + root + ": " + std::strerror(EEXIST);
		char resolved[PATH_MAX];
		if (!realpath(root.c_str(), resolved))
			return "cannot resolve FUSE root " + root + ": " + std::strerror(errno);
		std::string existing = mounted_at(resolved);
		if (!existing.empty())
			return "FUSE root " + std::string(resolved) + " is busy: already a mount there (" + existing +
			       "); stop the instance serving it or umount it";
		return "";
	}
	if (errno == ENOTCONN)
		return "cannot resolve FUSE root " + root + ": " + std::strerror(ENOTCONN) +
		       " (a dead FUSE mount is there: umount -l it)";
	if (errno != ENOENT)
		return "cannot create FUSE root " + root + ": " + std::strerror(errno);
	// Missing: the nearest existing directory above it must take a mkdir.
	std::string dir = root;
	for (;;) {
		size_t slash = dir.find_last_of('/');
		dir = slash == 0 ? "/" : dir.substr(0, slash);
		if (stat(dir.c_str(), &st) == 0)
			break;
		if (errno != ENOENT || dir == "/")
			return "cannot create FUSE root " + root + ": " + std::strerror(errno);
	}
	if (!S_ISDIR(st.st_mode))
		return "cannot create FUSE root " + root + ": " + std::strerror(ENOTDIR);
	if (access(dir.c_str(), W_OK | X_OK) != 0)
		return "cannot create FUSE root " + root + ": " + std::strerror(errno);
	return "";
}

MountGuard::~MountGuard()
{
	release();
}

int MountGuard::claim(const std::string &root, std::string *why)
{
	auto fail = [&](int err, const std::string &text) {
		if (why)
			*why = text;
		release();
		return err;
	};
	if (root.empty() || root[0] != '/')
		return fail(-EINVAL, "FUSE root must be an absolute path: '" + root + "'");
	// A mount point whose daemon died answers every access with ENOTCONN;
	// mkdir -p of an existing path only needs lstat-free mkdir(2) calls.
	int rc = mkdir_p(root);
	if (rc < 0)
		return fail(rc, "cannot create FUSE root " + root + ": " + std::strerror(-rc));

	char resolved[PATH_MAX];
	if (!realpath(root.c_str(), resolved)) {
		int err = errno;
		std::string text = "cannot resolve FUSE root " + root + ": " + std::strerror(err);
		if (err == ENOTCONN)
			text += " (a dead FUSE mount is there: umount -l it)";
		return fail(-err, text);
	}
	path_ = resolved;

	std::string existing = mounted_at(path_);
	if (!existing.empty())
		return fail(-EBUSY, "FUSE root " + path_ + " is busy: already a mount there (" + existing +
					    "); stop the instance serving it or umount it");

	dir_fd_ = open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd_ < 0)
		return fail(-errno, "cannot open FUSE root " + path_ + ": " + std::strerror(errno));
	if (flock(dir_fd_, LOCK_EX | LOCK_NB) != 0) {
		int err = errno;
		if (err == EWOULDBLOCK)
			return fail(-EBUSY, "FUSE root " + path_ + " is busy: another instance is starting there");
		return fail(-err, "cannot lock FUSE root " + path_ + ": " + std::strerror(err));
	}
	// Close the race with an instance that mounted between the two checks.
	existing = mounted_at(path_);
	if (!existing.empty())
		return fail(-EBUSY, "FUSE root " + path_ + " is busy: already a mount there (" + existing + ")");
	return 0;
}

void MountGuard::release()
{
	if (dir_fd_ >= 0) {
		close(dir_fd_); // drops the flock
		dir_fd_ = -1;
	}
}

} // namespace umc::fuse
