// Unit tests of libumc-preload.so: path mapping, the block-device illusion and
// the netlink redirection, exercised through the wrappers the shim exports.
//
// The shim reads its environment once per process, so main-like setup happens
// in a global environment before the library is first used: UMC_FS_ROOT is a
// temp directory (the shim maps into any directory) and UMC_CTL_SOCK an
// abstract name private to this process.
#include "helpers/helpers.hpp"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Shim {
	void *handle = nullptr;
	int (*open)(const char *, int, ...);
	int (*close)(int);
	int (*dup)(int);
	int (*fcntl)(int, int, ...);
	int (*stat)(const char *, struct stat *);
	int (*fstat)(int, struct stat *);
	int (*access)(const char *, int);
	int (*ioctl)(int, unsigned long, ...);
	int (*socket)(int, int, int);
	int (*bind)(int, const sockaddr *, socklen_t);
	int (*getsockname)(int, sockaddr *, socklen_t *);
	int (*setsockopt)(int, int, int, const void *, socklen_t);
	ssize_t (*write)(int, const void *, size_t);
	ssize_t (*recvmsg)(int, msghdr *, int);
	ssize_t (*recv)(int, void *, size_t, int);
	int (*mkdir)(const char *, mode_t);
	int (*unlink)(const char *);
	int (*symlink)(const char *, const char *);
	ssize_t (*readlink)(const char *, char *, size_t);
	int (*rename)(const char *, const char *);
};

Shim shim;
fs::path root;
std::string ctl_name; // abstract, without the leading NUL

template <typename F> void resolve(F &fn, const char *name)
{
	fn = reinterpret_cast<F>(dlsym(shim.handle, name));
	ASSERT_NE(fn, nullptr) << name;
}

void make_file(const fs::path &path, std::uintmax_t size)
{
	std::ofstream{path};
	fs::resize_file(path, size);
}

class ShimEnvironment : public ::testing::Environment {
public:
	void SetUp() override
	{
		dir = std::make_unique<t::TempDir>("umc-preload-test");
		root = dir->path();
		fs::create_directories(root / "proc");
		fs::create_directories(root / "dev");
		std::ofstream(root / "proc/drbd") << "version: 8.4.11 (api:1/proto:86-101)\n";
		make_file(root / "dev/drbd7", 1 << 20);
		make_file(root / "dev/d0", 8 << 20);
		std::ofstream(root / "plain") << "x";
		// What umcd publishes about its node; the shim reads it at load
		// time (its constructor) and sets __DRBD_NODE__ from it.
		fs::create_directories(root / "proc/umcd");
		for (const char *sub : {"state/lib", "state/run", "state/lock"})
			fs::create_directories(root / sub);
		std::ofstream(root / "proc/umcd/node") << "node_name umc-unit-node\nstate_dir "
						       << (root / "state").string() << "\nsome_future_key whatever\n";
		unsetenv("__DRBD_NODE__");
		ctl_name = "umc-preload-test-" + std::to_string(getpid());
		setenv("UMC_FS_ROOT", root.c_str(), 1);
		setenv("UMC_CTL_SOCK", ("@" + ctl_name).c_str(), 1);
		shim.handle = dlopen(UMC_PRELOAD_LIB, RTLD_NOW | RTLD_LOCAL);
		ASSERT_NE(shim.handle, nullptr) << dlerror();
		resolve(shim.open, "open");
		resolve(shim.close, "close");
		resolve(shim.dup, "dup");
		resolve(shim.fcntl, "fcntl");
		resolve(shim.stat, "stat");
		resolve(shim.fstat, "fstat");
		resolve(shim.access, "access");
		resolve(shim.ioctl, "ioctl");
		resolve(shim.socket, "socket");
		resolve(shim.bind, "bind");
		resolve(shim.getsockname, "getsockname");
		resolve(shim.setsockopt, "setsockopt");
		resolve(shim.write, "write");
		resolve(shim.recvmsg, "recvmsg");
		resolve(shim.recv, "recv");
		resolve(shim.mkdir, "mkdir");
		resolve(shim.unlink, "unlink");
		resolve(shim.symlink, "symlink");
		resolve(shim.readlink, "readlink");
		resolve(shim.rename, "rename");
	}
	void TearDown() override { dir.reset(); }

private:
	std::unique_ptr<t::TempDir> dir;
};

const auto *const shim_env = ::testing::AddGlobalTestEnvironment(new ShimEnvironment);

// ---- path mapping --------------------------------------------------------

TEST(PreloadPaths, ProcDrbdAndDrbdMinorsMapIntoTheRoot)
{
	EXPECT_EQ(shim.access("/proc/drbd", R_OK), 0);
	int fd = shim.open("/proc/drbd", O_RDONLY);
	ASSERT_GE(fd, 0);
	char buf[64] = {};
	ASSERT_GT(read(fd, buf, sizeof buf - 1), 0);
	EXPECT_STREQ(std::string(buf).substr(0, 15).c_str(), "version: 8.4.11");
	shim.close(fd);

	struct stat st;
	ASSERT_EQ(shim.stat("/dev/drbd7", &st), 0);
	EXPECT_TRUE(S_ISBLK(st.st_mode));
	EXPECT_EQ(major(st.st_rdev), 147u);
	EXPECT_EQ(minor(st.st_rdev), 7u);
	EXPECT_EQ(st.st_size, 0);
}

TEST(PreloadPaths, OnlyExactKernelPathsAreMapped)
{
	struct stat st;
	// drbd8 does not exist under the root: ENOENT from the mapped path.
	errno = 0;
	EXPECT_EQ(shim.stat("/dev/drbd8", &st), -1);
	EXPECT_EQ(errno, ENOENT);
	// Not the minor pattern: the host path is used unchanged.
	EXPECT_EQ(shim.stat("/dev/null", &st), 0);
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	errno = 0;
	EXPECT_EQ(shim.stat("/dev/drbd7x", &st), -1);
	EXPECT_EQ(errno, ENOENT);
}

// ---- block-device illusion --------------------------------------------------

// ---- drbd-utils' host state -> the node's state_dir --------------------------

TEST(PreloadState, NodeNameBecomesDrbdNode)
{
	const char *node = getenv("__DRBD_NODE__");
	ASSERT_NE(node, nullptr);
	EXPECT_STREQ(node, "umc-unit-node");
}

TEST(PreloadState, LockLkbdAndRegistrationsGoToTheStateDir)
{
	const fs::path state = root / "state";
	// drbdsetup's lock and the last-known size, as drbd-utils open them.
	int fd = shim.open("/var/lock/drbd-147-9", O_RDWR | O_CREAT, 0600);
	ASSERT_GE(fd, 0) << strerror(errno);
	shim.close(fd);
	EXPECT_TRUE(fs::exists(state / "lock/drbd-147-9"));
	fd = shim.open("/var/lib/drbd/drbd-minor-9.lkbd", O_WRONLY | O_CREAT | O_TRUNC, 0666);
	ASSERT_GE(fd, 0) << strerror(errno);
	shim.close(fd);
	EXPECT_TRUE(fs::exists(state / "lib/drbd-minor-9.lkbd"));
	EXPECT_EQ(shim.access("/var/lib/drbd/drbd-minor-9.lkbd", F_OK), 0);
	struct stat st;
	ASSERT_EQ(shim.stat("/var/lib/drbd", &st), 0);
	EXPECT_TRUE(S_ISDIR(st.st_mode));

	// drbdadm's registration of a running resource.
	errno = 0;
	EXPECT_EQ(shim.mkdir("/var/run/drbd", 0700), -1);
	EXPECT_EQ(errno, EEXIST);
	ASSERT_EQ(shim.symlink("/etc/drbd-unit.conf", "/var/run/drbd/drbd-minor-9.conf"), 0) << strerror(errno);
	EXPECT_TRUE(fs::is_symlink(state / "run/drbd-minor-9.conf"));
	EXPECT_EQ(fs::read_symlink(state / "run/drbd-minor-9.conf"), "/etc/drbd-unit.conf"); // target as given
	char buf[256] = {};
	ASSERT_EQ(shim.readlink("/var/run/drbd/drbd-minor-9.conf", buf, sizeof buf - 1), 19);
	EXPECT_STREQ(buf, "/etc/drbd-unit.conf");
	ASSERT_EQ(shim.rename("/var/run/drbd/drbd-minor-9.conf", "/var/run/drbd/drbd-minor-10.conf"), 0);
	EXPECT_TRUE(fs::is_symlink(state / "run/drbd-minor-10.conf"));
	ASSERT_EQ(shim.unlink("/var/run/drbd/drbd-minor-10.conf"), 0);
	EXPECT_FALSE(fs::exists(fs::symlink_status(state / "run/drbd-minor-10.conf")));
	ASSERT_EQ(shim.unlink("/var/lock/drbd-147-9"), 0);
	EXPECT_FALSE(fs::exists(state / "lock/drbd-147-9"));
	ASSERT_EQ(shim.mkdir("/var/lib/drbd/sub", 0700), 0);
	EXPECT_TRUE(fs::is_directory(state / "lib/sub"));
}

TEST(PreloadState, OnlyDrbdStatePathsAreMapped)
{
	const fs::path state = root / "state";
	// Present in the state dir, so a mapping would find them.
	std::ofstream(state / "lock/other-lock") << "x";
	std::ofstream(state / "lock/drbd-") << "x";
	fs::create_directories(state / "libx");
	errno = 0;
	EXPECT_EQ(shim.access("/var/lock/other-lock", F_OK), -1); // another program's lock
	EXPECT_EQ(errno, ENOENT);
	EXPECT_EQ(shim.access("/var/lock/drbd-", F_OK), -1); // no name after drbd-
	EXPECT_EQ(shim.access("/var/lib/drbdx", F_OK), -1);
	EXPECT_EQ(shim.access("/var/run/drbdx", F_OK), -1);
	EXPECT_EQ(shim.access("/var/lock/drbd-147-9/x", F_OK), -1);
	EXPECT_EQ(shim.access("/run/drbd", F_OK) == 0, access("/run/drbd", F_OK) == 0); // host's own
}

TEST(PreloadBlockdev, FuseNodesLookLikeBlockDevices)
{
	std::string d0 = (root / "dev/d0").string();
	struct stat by_path, by_fd;
	ASSERT_EQ(shim.stat(d0.c_str(), &by_path), 0);
	EXPECT_TRUE(S_ISBLK(by_path.st_mode));
	EXPECT_EQ(major(by_path.st_rdev), 60u);

	int fd = shim.open(d0.c_str(), O_RDWR | O_EXCL);
	ASSERT_GE(fd, 0) << strerror(errno);
	ASSERT_EQ(shim.fstat(fd, &by_fd), 0);
	EXPECT_TRUE(S_ISBLK(by_fd.st_mode));
	EXPECT_EQ(by_fd.st_rdev, by_path.st_rdev);

	uint64_t size = 0;
	ASSERT_EQ(shim.ioctl(fd, BLKGETSIZE64, &size), 0);
	EXPECT_EQ(size, 8u << 20);
	unsigned long sectors = 0;
	ASSERT_EQ(shim.ioctl(fd, BLKGETSIZE, &sectors), 0);
	EXPECT_EQ(sectors, (8u << 20) / 512);
	int ssz = 0;
	ASSERT_EQ(shim.ioctl(fd, BLKSSZGET, &ssz), 0);
	EXPECT_EQ(ssz, 512);
	EXPECT_EQ(shim.ioctl(fd, BLKFLSBUF, 0), 0);
	errno = 0;
	EXPECT_EQ(shim.ioctl(fd, BLKGETSIZE64, nullptr), -1);
	EXPECT_EQ(errno, EFAULT);
	// An ioctl the illusion does not answer reaches the file: ENOTTY.
	errno = 0;
	EXPECT_EQ(shim.ioctl(fd, BLKTRACESTOP, 0), -1);
	EXPECT_EQ(errno, ENOTTY);
	shim.close(fd);

	// Files that are not direct children of dev/ are not devices.
	struct stat plain;
	ASSERT_EQ(shim.stat((root / "plain").c_str(), &plain), 0);
	EXPECT_TRUE(S_ISREG(plain.st_mode));
	ASSERT_EQ(shim.stat((root / "dev").c_str(), &plain), 0);
	EXPECT_TRUE(S_ISDIR(plain.st_mode));
}

TEST(PreloadBlockdev, ZeroOutAndDiscardCheckTheirRange)
{
	std::string d0 = (root / "dev/d0").string();
	{
		std::fstream f(d0, std::ios::in | std::ios::out | std::ios::binary);
		f.seekp(4096);
		f << std::string(4096, 'x');
	}
	int fd = shim.open(d0.c_str(), O_RDWR);
	ASSERT_GE(fd, 0);
	uint64_t range[2] = {4096, 4096};
	ASSERT_EQ(shim.ioctl(fd, BLKZEROOUT, range), 0) << strerror(errno);
	char buf[4096];
	ASSERT_EQ(pread(fd, buf, sizeof buf, 4096), (ssize_t)sizeof buf);
	EXPECT_EQ(std::string(buf, sizeof buf), std::string(sizeof buf, '\0'));

	uint64_t unaligned[2] = {100, 512};
	errno = 0;
	EXPECT_EQ(shim.ioctl(fd, BLKZEROOUT, unaligned), -1);
	EXPECT_EQ(errno, EINVAL);
	uint64_t past_end[2] = {8u << 20, 512};
	errno = 0;
	EXPECT_EQ(shim.ioctl(fd, BLKDISCARD, past_end), -1);
	EXPECT_EQ(errno, EINVAL);
	struct stat st;
	ASSERT_EQ(::fstat(fd, &st), 0);
	EXPECT_EQ(st.st_size, 8 << 20) << "zero-out must not change the size";
	shim.close(fd);
}

TEST(PreloadBlockdev, DupCarriesTheIllusionAndCloseEndsIt)
{
	std::string d0 = (root / "dev/d0").string();
	int fd = shim.open(d0.c_str(), O_RDONLY);
	ASSERT_GE(fd, 0);
	int copy = shim.dup(fd);
	int copy2 = shim.fcntl(fd, F_DUPFD_CLOEXEC, 100);
	ASSERT_GE(copy, 0);
	ASSERT_GE(copy2, 100);
	struct stat st;
	ASSERT_EQ(shim.fstat(copy, &st), 0);
	EXPECT_TRUE(S_ISBLK(st.st_mode));
	ASSERT_EQ(shim.fstat(copy2, &st), 0);
	EXPECT_TRUE(S_ISBLK(st.st_mode));
	shim.close(copy2);
	shim.close(copy);
	shim.close(fd);
	// The same fd number, now a plain file, must not be shown as a device.
	int plain = shim.open((root / "plain").c_str(), O_RDONLY);
	ASSERT_EQ(plain, fd);
	ASSERT_EQ(shim.fstat(plain, &st), 0);
	EXPECT_TRUE(S_ISREG(st.st_mode));
	shim.close(plain);
}

// ---- netlink redirection ----------------------------------------------------

struct Listener {
	int fd = -1;
	Listener()
	{
		fd = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		sockaddr_un a{};
		a.sun_family = AF_UNIX;
		memcpy(a.sun_path + 1, ctl_name.data(), ctl_name.size());
		socklen_t len = offsetof(sockaddr_un, sun_path) + 1 + ctl_name.size();
		EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr *>(&a), len), 0) << strerror(errno);
		EXPECT_EQ(::listen(fd, 4), 0);
	}
	~Listener() { ::close(fd); }
	int accept() { return ::accept(fd, nullptr, nullptr); }
};

TEST(PreloadNetlink, NoDaemonIsProtocolNotSupported)
{
	errno = 0;
	EXPECT_EQ(shim.socket(AF_NETLINK, SOCK_DGRAM, NETLINK_GENERIC), -1);
	EXPECT_EQ(errno, EPROTONOSUPPORT);
}

TEST(PreloadNetlink, SocketBehavesLikeGenericNetlink)
{
	Listener server;
	int fd = shim.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_GENERIC);
	ASSERT_GE(fd, 0) << strerror(errno);
	int peer = server.accept();
	ASSERT_GE(peer, 0);

	sockaddr_nl local{};
	local.nl_family = AF_NETLINK;
	ASSERT_EQ(shim.bind(fd, reinterpret_cast<sockaddr *>(&local), sizeof local), 0);
	sockaddr_nl name{};
	socklen_t len = sizeof name;
	ASSERT_EQ(shim.getsockname(fd, reinterpret_cast<sockaddr *>(&name), &len), 0);
	EXPECT_EQ(len, sizeof(sockaddr_nl));
	EXPECT_EQ(name.nl_family, AF_NETLINK);
	EXPECT_EQ(name.nl_pid, (uint32_t)getpid());

	// Membership travels in-band: nlmsghdr type 0xfff0 + u32 group.
	uint32_t group = 16;
	ASSERT_EQ(shim.setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group), 0);
	struct {
		nlmsghdr h;
		uint32_t group;
	} join{};
	ASSERT_EQ(::recv(peer, &join, sizeof join, 0), (ssize_t)sizeof join);
	EXPECT_EQ(join.h.nlmsg_type, 0xfff0);
	EXPECT_EQ(join.h.nlmsg_len, sizeof join);
	EXPECT_EQ(join.group, 16u);
	int bufsize = 1 << 20; // SOL_SOCKET options reach the real socket
	EXPECT_EQ(shim.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsize, sizeof bufsize), 0);

	// Requests go out with write(); replies keep their boundaries and carry
	// the kernel's address.
	const char request[] = "0123456789abcdef";
	ASSERT_EQ(shim.write(fd, request, 16), 16);
	char got[32];
	ASSERT_EQ(::recv(peer, got, sizeof got, 0), 16);
	std::string reply(100, 'r');
	ASSERT_EQ(::send(peer, reply.data(), reply.size(), 0), (ssize_t)reply.size());

	char small[10];
	sockaddr_nl from{};
	iovec iov{small, sizeof small};
	msghdr msg{};
	msg.msg_name = &from;
	msg.msg_namelen = sizeof from;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	ASSERT_EQ(shim.recvmsg(fd, &msg, MSG_PEEK | MSG_TRUNC), 100) << "MSG_TRUNC reports the real length";
	EXPECT_TRUE(msg.msg_flags & MSG_TRUNC);
	EXPECT_EQ(msg.msg_namelen, sizeof(sockaddr_nl));
	EXPECT_EQ(from.nl_family, AF_NETLINK);
	EXPECT_EQ(from.nl_pid, 0u);
	char full[200];
	iov = {full, sizeof full};
	msg.msg_namelen = sizeof from;
	ASSERT_EQ(shim.recvmsg(fd, &msg, 0), 100);

	// umcd going away: no SIGPIPE, no end-of-file - errors a netlink user handles.
	::close(peer);
	errno = 0;
	EXPECT_EQ(shim.recv(fd, full, sizeof full, 0), -1);
	EXPECT_EQ(errno, ECONNRESET);
	signal(SIGPIPE, SIG_DFL);
	errno = 0;
	EXPECT_EQ(shim.write(fd, request, 16), -1);
	EXPECT_EQ(errno, ECONNREFUSED);
	shim.close(fd);
}

TEST(PreloadNetlink, OtherProtocolsAreNotRedirected)
{
	int fd = shim.socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	ASSERT_GE(fd, 0);
	sockaddr_nl local{};
	local.nl_family = AF_NETLINK;
	ASSERT_EQ(shim.bind(fd, reinterpret_cast<sockaddr *>(&local), sizeof local), 0);
	sockaddr_un un{};
	socklen_t len = sizeof un;
	ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr *>(&un), &len), 0);
	EXPECT_EQ(un.sun_family, AF_NETLINK) << "a real netlink socket";
	shim.close(fd);
}

} // namespace
