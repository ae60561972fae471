// libFuzzer target for DRBD's receiver: the hosted DRBD 8.4 module runs
// in-process on the umc runtime with a ram backing disk and a connection
// configured to a peer on 127.0.0.1 that this harness plays over real TCP.
//
// Per input: DRBD connects to the harness (its data socket, P_INITIAL_DATA);
// the harness connects back to DRBD's listener (the meta socket,
// P_INITIAL_META) and completes the feature handshake (protocol 86-101, so
// DRBD agrees on 101 and p_header100).  Then the input goes to DRBD's
// receiver as the rest of the data stream (seed corpus: a real session
// recorded by tests/integration/drbd_wire_proxy.py, net_fuzz_corpus/), the
// harness half-closes the socket and drains what DRBD sends until DRBD
// drops the connection.  DRBD then reconnects for the next input (after a
// "go away" verdict, StandAlone, the harness connects it again via genl).
// A crash, a sanitizer report, a DRBD that stops answering or reconnecting
// (abort after a bound) or a /proc/drbd that no longer renders fails.
//
// UMC_NET_FUZZ_SOCKET=meta feeds the input to the meta socket instead (the
// ack receiver; seeds net_fuzz_meta_corpus/).
//
// Only the packets after the handshake are mutated: a broken handshake
// costs DRBD's 1 s connect back-off per input (the wrong-version and
// garbage cases of the handshake are covered by replication_bad_peer.sh).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <mte/sys_service.h>

#include "net_fuzz_driver.h"
#include "umc/kernel_host.h"
#include "umc/runtime.h"
#include "umc/socket.h" // struct umc_iov

namespace {

constexpr uint32_t kMagic80 = 0x83740267, kMagic100 = 0x8620ec20;
constexpr uint16_t kInitialMeta = 0xfff1, kInitialData = 0xfff2, kFeatures = 0xfffe;
constexpr size_t kDiskSize = 32u << 20;
constexpr int kReconnectSecs = 20; // DRBD must come back within this

struct RamDisk {
	std::vector<unsigned char> data;
};

void ram_submit(void *host, umc_bdev_io *io)
{
	auto *r = static_cast<RamDisk *>(host);
	unsigned long long off = io->offset;
	int status = 0;
	if (io->op == 0 || io->op == 1) {
		for (int i = 0; i < io->iovcnt && !status; i++) {
			const umc_iov &v = io->iov[i];
			if (off + v.len > r->data.size()) {
				status = -EIO;
				break;
			}
			if (io->op == 1)
				std::memcpy(&r->data[off], v.base, v.len);
			else
				std::memcpy(v.base, &r->data[off], v.len);
			off += v.len;
		}
	} else if (io->op == 3 || io->op == 4) {
		if (io->offset + io->length <= r->data.size())
			std::memset(&r->data[io->offset], 0, io->length);
		else
			status = -EIO;
	}
	io->done(io, status);
}
const umc_bdev_host_ops ram_ops{ram_submit};

RamDisk ram;
int listener = -1;
unsigned short my_port, peer_port;
int data_fd = -1, meta_fd = -1;

[[noreturn]] void die(const char *what)
{
	static char proc[4096];
	proc[0] = 0;
	nf_proc_copy(proc, sizeof proc);
	std::fprintf(stderr, "net fuzzer: %s (errno %d)\n/proc/drbd:\n%s\n", what, errno, proc);
	std::abort();
}

double now()
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

unsigned short free_port()
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	sockaddr_in a{};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	if (bind(s, reinterpret_cast<sockaddr *>(&a), sizeof a) ||
	    getsockname(s, reinterpret_cast<sockaddr *>(&a), &len))
		die("free_port");
	close(s);
	return ntohs(a.sin_port);
}

// Wait for @fd to be readable/writable (@events) for up to @secs.
bool wait_fd(int fd, short events, double secs)
{
	pollfd p{fd, events, 0};
	return poll(&p, 1, static_cast<int>(secs * 1000)) > 0;
}

// Read exactly @n bytes within @secs; false on EOF/error/timeout.
bool read_all(int fd, void *buf, size_t n, double secs)
{
	double end = now() + secs;
	auto *p = static_cast<unsigned char *>(buf);
	while (n) {
		if (!wait_fd(fd, POLLIN, end - now()))
			return false;
		ssize_t r = recv(fd, p, n, 0);
		if (r <= 0)
			return false;
		p += r;
		n -= static_cast<size_t>(r);
	}
	return true;
}

bool write_all(int fd, const void *buf, size_t n)
{
	return send(fd, buf, n, MSG_NOSIGNAL) == static_cast<ssize_t>(n);
}

void put80(std::vector<unsigned char> &out, uint16_t cmd, const void *payload, uint16_t len)
{
	uint32_t m = htonl(kMagic80);
	uint16_t c = htons(cmd), l = htons(len);
	auto at = out.size();
	out.resize(at + 8 + len);
	std::memcpy(&out[at], &m, 4);
	std::memcpy(&out[at + 4], &c, 2);
	std::memcpy(&out[at + 6], &l, 2);
	if (len)
		std::memcpy(&out[at + 8], payload, len);
}

// One p_header80 packet (the handshake's): its command and payload.
bool read80(int fd, uint16_t *cmd, std::vector<unsigned char> *payload, double secs)
{
	unsigned char h[8];
	if (!read_all(fd, h, 8, secs))
		return false;
	uint32_t m;
	uint16_t c, l;
	std::memcpy(&m, h, 4);
	std::memcpy(&c, h + 4, 2);
	std::memcpy(&l, h + 6, 2);
	if (ntohl(m) != kMagic80)
		return false;
	*cmd = ntohs(c);
	payload->resize(ntohs(l));
	return payload->empty() || read_all(fd, payload->data(), payload->size(), secs);
}

void close_peer()
{
	for (int *fd : {&data_fd, &meta_fd}) {
		if (*fd >= 0) {
			linger lg{1, 0}; // RST: DRBD notices at once
			setsockopt(*fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
			close(*fd);
			*fd = -1;
		}
	}
}

// DRBD's outgoing connection to us (its data socket), then ours to it (the
// meta socket), then the feature exchange.  False: DRBD gave up on this
// attempt (try again).
bool handshake()
{
	double deadline = now() + kReconnectSecs;
	while ((data_fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC)) < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			die("accept");
		if (now() > deadline)
			die("DRBD did not reconnect");
		// Some verdicts on a peer (a different dialect or protocol settings,
		// split brain, ...) leave DRBD StandAlone, as drbdsetup connect would
		// find it: connect it again (it may refuse while still going down).
		if (nf_proc_contains("cs:StandAlone") == 1) {
			int rc = nf_connect();
			if (rc != 1 && std::getenv("UMC_FUZZ_LOG"))
				std::fprintf(stderr, "net fuzzer: connect after StandAlone: %d\n", rc);
		}
		wait_fd(listener, POLLIN, 0.2);
	}
	int one = 1;
	setsockopt(data_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	uint16_t cmd;
	std::vector<unsigned char> payload;
	if (!read80(data_fd, &cmd, &payload, 5) || cmd != kInitialData)
		return false;

	meta_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sockaddr_in a{};
	a.sin_family = AF_INET;
	a.sin_port = htons(my_port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(meta_fd, reinterpret_cast<sockaddr *>(&a), sizeof a))
		return false;
	setsockopt(meta_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	std::vector<unsigned char> out;
	put80(out, kInitialMeta, nullptr, 0);
	if (!write_all(meta_fd, out.data(), out.size()))
		return false;

	// DRBD's P_CONNECTION_FEATURES (after its socket check, ping-timeout).
	if (!read80(data_fd, &cmd, &payload, 5) || cmd != kFeatures || payload.size() < 12)
		return false;
	// Ours: 86-101 and the same feature flags.
	std::vector<unsigned char> features(payload.size(), 0);
	uint32_t v = htonl(86);
	std::memcpy(&features[0], &v, 4);
	std::memcpy(&features[4], &payload[4], 4);
	v = htonl(101);
	std::memcpy(&features[8], &v, 4);
	out.clear();
	put80(out, kFeatures, features.data(), static_cast<uint16_t>(features.size()));
	return write_all(data_fd, out.data(), out.size());
}

// Send @data on the data socket while draining both sockets (DRBD sends
// too and must never block on us), half-close, then drain until DRBD
// drops the connection (bounded).
// UMC_NET_FUZZ_SOCKET=meta: the input goes to the meta socket (DRBD's ack
// receiver) instead, the data socket stays idle.
bool fuzz_meta()
{
	static const bool meta = [] {
		const char *s = std::getenv("UMC_NET_FUZZ_SOCKET");
		return s && std::strcmp(s, "meta") == 0;
	}();
	return meta;
}

void play(const uint8_t *data, size_t size)
{
	fcntl(data_fd, F_SETFL, fcntl(data_fd, F_GETFL) | O_NONBLOCK);
	fcntl(meta_fd, F_SETFL, fcntl(meta_fd, F_GETFL) | O_NONBLOCK);
	const int in_fd = fuzz_meta() ? meta_fd : data_fd;
	size_t sent = 0;
	bool half_closed = false, data_open = true;
	double end = now() + 3;
	static unsigned char sink[65536];
	while (data_open && now() < end) {
		if (sent == size && !half_closed) {
			shutdown(in_fd, SHUT_WR);
			half_closed = true;
		}
		const short out = half_closed ? 0 : POLLOUT;
		pollfd p[2] = {{data_fd, static_cast<short>(POLLIN | (in_fd == data_fd ? out : 0)), 0},
			       {meta_fd, static_cast<short>(POLLIN | (in_fd == meta_fd ? out : 0)), 0}};
		if (poll(p, 2, 100) < 0)
			break;
		if ((p[0].revents | p[1].revents) & POLLOUT) {
			ssize_t w = send(in_fd, data + sent, size - sent, MSG_NOSIGNAL);
			if (w > 0)
				sent += static_cast<size_t>(w);
			else if (w < 0 && errno != EAGAIN)
				break; // DRBD already dropped the connection
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = recv(data_fd, sink, sizeof sink, 0);
			if (r == 0 || (r < 0 && errno != EAGAIN))
				data_open = false;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = recv(meta_fd, sink, sizeof sink, 0);
			if (r == 0 || (r < 0 && errno != EAGAIN)) {
				// DRBD closed its meta socket: it is tearing the connection down.
				if (half_closed)
					data_open = false;
			}
		}
	}
	close_peer();
}

std::vector<unsigned char> read_file(const std::string &path)
{
	std::vector<unsigned char> out;
	if (FILE *f = std::fopen(path.c_str(), "rb")) {
		unsigned char buf[1 << 16];
		size_t n;
		while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
			out.insert(out.end(), buf, buf + n);
		std::fclose(f);
	}
	return out;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
	sys_service_params sp{};
	sp.log_level = std::getenv("UMC_FUZZ_LOG") ? SYS_LOG_INFO : SYS_LOG_OFF;
	sp.leak_report = -1;
	int err = 0;
	const sys_service *sys = sys_service_open(SYS_SERVICE_VERSION, &sp, &err);
	if (!sys) {
		std::fprintf(stderr, "sys_service_open: %d\n", err);
		std::abort();
	}
	if (umc_kernel_prepare(UMC_KERNEL_HOST_VERSION) != 0)
		std::abort();
	umc_boot_params bp{};
	if (umc_runtime_init(sys, &bp) || umc_module_init())
		die("umc boot / DRBD module init failed");

	// Debian's drbdmeta writes internal v08 meta-data; the disk is that image.
	if (access("/sbin/drbdmeta", X_OK)) {
		std::fprintf(stderr, "net fuzzer: SKIP: /sbin/drbdmeta (drbd-utils) is not installed\n");
		std::exit(77);
	}
	char tmpl[] = "/tmp/umc-net-fuzz-md-XXXXXX";
	int fd = mkstemp(tmpl);
	if (fd < 0 || ftruncate(fd, kDiskSize))
		die("meta-data image");
	close(fd);
	std::string cmd = std::string("/sbin/drbdmeta 0 v08 ") + tmpl + " internal create-md --force >/dev/null 2>&1";
	if (std::system(cmd.c_str()))
		die("drbdmeta create-md (drbd-utils missing?)");
	ram.data = read_file(tmpl);
	unlink(tmpl);
	if (ram.data.size() != kDiskSize)
		die("meta-data image size");
	umc_bdev_geometry geo{};
	geo.size_bytes = kDiskSize;
	geo.logical_block_size = 512;
	geo.physical_block_size = 4096;
	geo.max_io_bytes = 1u << 20;
	geo.max_discard_bytes = 1u << 20;
	geo.write_zeroes = true;
	geo.volatile_cache = true;
	geo.fua = true;
	if (umc_bdev_register("/umc-net-fuzz/dev/d0", &ram, &ram_ops, &geo))
		die("umc_bdev_register");

	listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	sockaddr_in a{};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	if (bind(listener, reinterpret_cast<sockaddr *>(&a), sizeof a) || listen(listener, 8) ||
	    getsockname(listener, reinterpret_cast<sockaddr *>(&a), &len))
		die("listen");
	peer_port = ntohs(a.sin_port);
	my_port = free_port();
	while (my_port == peer_port)
		my_port = free_port();
	int rc = nf_setup(my_port, peer_port, "/umc-net-fuzz/dev/d0");
	if (rc != 1) {
		std::fprintf(stderr, "net fuzzer: setup: ret_code %d\n", rc);
		die("setup");
	}
	return 0;
}

namespace {

// A bug of the hosted DRBD 8.4 (the kernel's too): drbdd() computes
// &drbd_cmd_handler[pi.cmd] before checking pi.cmd < ARRAY_SIZE (55), so a
// packet with an unknown command indexes out of bounds (UB; UBSan: "index
// 14880 out of bounds for type 'struct data_cmd[55]'"), although the entry
// is only read when in range; drbd_ack_receiver() does the same with
// ack_receiver_tbl[] (45) on the meta socket.  Hosted code is never
// edited, so the stream is cut before such a packet (reproducer:
// net_fuzz_known/unknown-command, run with UMC_NET_FUZZ_UNFILTERED=1),
// letting the fuzzer explore the rest.  The walk follows DRBD's framing
// after the handshake (p_header100; every handler consumes exactly the
// header's length); at the first header that is not one, DRBD stops
// reading anyway.
size_t before_known_hosted_bug(const uint8_t *data, size_t size)
{
	static const bool unfiltered = std::getenv("UMC_NET_FUZZ_UNFILTERED") != nullptr;
	const unsigned table = fuzz_meta() ? 45 /* ack_receiver_tbl */ : 55 /* drbd_cmd_handler */;
	size_t off = 0;
	while (!unfiltered && off + 16 <= size) {
		uint32_t magic, length;
		uint16_t cmd;
		std::memcpy(&magic, data + off, 4);
		std::memcpy(&cmd, data + off + 6, 2);
		std::memcpy(&length, data + off + 8, 4);
		if (ntohl(magic) != kMagic100)
			break;
		if (ntohs(cmd) >= table)
			return off;
		if (ntohl(length) > size - off - 16)
			break;
		off += 16 + ntohl(length);
	}
	return size;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size = before_known_hosted_bug(data, size);
	int tries = 0;
	while (!handshake()) {
		close_peer();
		if (++tries > 10)
			die("no handshake in 10 attempts");
	}
	play(data, size);
	if (nf_proc_contains(" 0: cs:") != 1)
		die("/proc/drbd lost minor 0");
	return 0;
}
