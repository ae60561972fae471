// umc-netbench [--seconds S] [--stream-seconds S] [--pingpong-seconds S]
//              [--block BYTES] [--msg BYTES] [--json FILE|-]
//
// The loopback references of the replication benchmarks (tools/bench.sh):
// what TCP over 127.0.0.1 gives this machine, measured by a server thread
// and a client in this one process, with no dependency beyond the C++
// library and POSIX sockets, so every run measures the same way.
//
//   stream    the client writes BLOCK-sized buffers (default 1 MiB) for
//             --stream-seconds, then half-closes; the server counts what it
//             read and replies with the total.  MiB/s = total / (time from the
//             first write to the server's reply).
//   pingpong  TCP_NODELAY on both ends; the client writes MSG bytes (default
//             4 KiB), the server reads all of them and writes MSG bytes back,
//             the client reads all of them: one round trip.  For
//             --pingpong-seconds after 100 unmeasured ones; mean, p50, p99.
//
// --seconds S sets both phases (default 2).  A phase of 0 seconds is skipped.
// Results go to stdout as text, and as JSON to FILE (or to stdout for "-",
// the text then going to stderr):
//   {"tool": "umc-netbench", "address": "127.0.0.1",
//    "stream": {"block_bytes", "seconds", "bytes", "mib_per_s"},
//    "pingpong": {"msg_bytes", "count", "mean_us", "p50_us", "p99_us", "min_us", "max_us"}}
// Exit status 0, or 1 with a message on stderr.
#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string &what)
{
	std::fprintf(stderr, "umc-netbench: %s\n", what.c_str());
	std::exit(1);
}
[[noreturn]] void die_errno(const std::string &what)
{
	die(what + ": " + std::strerror(errno));
}

double seconds_since(Clock::time_point t0)
{
	return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Whole buffers or an error; false on EOF before the first byte of a read.
bool read_all(int fd, void *buf, size_t len)
{
	auto *p = static_cast<char *>(buf);
	size_t done = 0;
	while (done < len) {
		ssize_t n = ::read(fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_errno("read");
		if (n == 0) {
			if (done == 0)
				return false;
			die("read: connection closed in the middle of a message");
		}
		done += static_cast<size_t>(n);
	}
	return true;
}
void write_all(int fd, const void *buf, size_t len)
{
	const auto *p = static_cast<const char *>(buf);
	size_t done = 0;
	while (done < len) {
		ssize_t n = ::write(fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_errno("write");
		done += static_cast<size_t>(n);
	}
}

void set_nodelay(int fd)
{
	int one = 1;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0)
		die_errno("TCP_NODELAY");
}

// Every connection starts with a header: the phase and its size.
enum : uint8_t { kStream = 'S', kPingPong = 'P', kQuit = 'Q' };
struct Header {
	uint8_t phase;
	uint8_t pad[3];
	uint32_t size;
};

// The server: one connection at a time, until a kQuit header.
void serve(int listen_fd)
{
	for (;;) {
		int fd = ::accept(listen_fd, nullptr, nullptr);
		if (fd < 0 && errno == EINTR)
			continue;
		if (fd < 0)
			die_errno("accept");
		Header h{};
		if (!read_all(fd, &h, sizeof h))
			die("server: connection without a header");
		if (h.phase == kQuit) {
			::close(fd);
			return;
		}
		if (h.size == 0 || h.size > (64u << 20))
			die("server: bad size in header");
		std::vector<char> buf(h.size);
		if (h.phase == kStream) {
			uint64_t total = 0;
			for (;;) {
				ssize_t n = ::read(fd, buf.data(), buf.size());
				if (n < 0 && errno == EINTR)
					continue;
				if (n < 0)
					die_errno("server read");
				if (n == 0)
					break;
				total += static_cast<uint64_t>(n);
			}
			write_all(fd, &total, sizeof total);
		} else if (h.phase == kPingPong) {
			set_nodelay(fd);
			while (read_all(fd, buf.data(), buf.size()))
				write_all(fd, buf.data(), buf.size());
		} else {
			die("server: unknown phase");
		}
		::close(fd);
	}
}

int connect_to(const sockaddr_in &addr, uint8_t phase, uint32_t size)
{
	int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die_errno("socket");
	if (::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) < 0)
		die_errno("connect");
	Header h{};
	h.phase = phase;
	h.size = size;
	write_all(fd, &h, sizeof h);
	return fd;
}

struct StreamResult {
	uint32_t block;
	double seconds;
	uint64_t bytes;
	double mib_per_s;
};

StreamResult run_stream(const sockaddr_in &addr, uint32_t block, double secs)
{
	int fd = connect_to(addr, kStream, block);
	std::vector<char> buf(block);
	for (size_t i = 0; i < buf.size(); i++)
		buf[i] = static_cast<char>(i * 131 + 7);
	uint64_t sent = 0;
	auto t0 = Clock::now();
	do {
		write_all(fd, buf.data(), buf.size());
		sent += block;
	} while (seconds_since(t0) < secs);
	if (::shutdown(fd, SHUT_WR) < 0)
		die_errno("shutdown");
	uint64_t got = 0;
	if (!read_all(fd, &got, sizeof got))
		die("stream: no total from the server");
	double elapsed = seconds_since(t0);
	::close(fd);
	if (got != sent)
		die("stream: server read " + std::to_string(got) + " bytes of " + std::to_string(sent));
	return {block, elapsed, got, static_cast<double>(got) / (1 << 20) / elapsed};
}

struct PingPongResult {
	uint32_t msg;
	size_t count;
	double mean_us, p50_us, p99_us, min_us, max_us;
};

PingPongResult run_pingpong(const sockaddr_in &addr, uint32_t msg, double secs)
{
	int fd = connect_to(addr, kPingPong, msg);
	set_nodelay(fd);
	std::vector<char> out(msg, 'p'), in(msg);
	auto round_trip = [&] {
		write_all(fd, out.data(), out.size());
		if (!read_all(fd, in.data(), in.size()))
			die("pingpong: server closed the connection");
	};
	for (int i = 0; i < 100; i++)
		round_trip();
	std::vector<double> us;
	us.reserve(1 << 20);
	auto t0 = Clock::now();
	do {
		auto a = Clock::now();
		round_trip();
		us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - a).count());
	} while ((seconds_since(t0) < secs || us.size() < 10) && us.size() < (size_t{50} << 20));
	::close(fd);
	double sum = 0;
	for (double v : us)
		sum += v;
	std::sort(us.begin(), us.end());
	auto pct = [&](double p) {
		size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(us.size() - 1) + 0.5);
		return us[std::min(i, us.size() - 1)];
	};
	return {msg, us.size(), sum / static_cast<double>(us.size()), pct(50), pct(99), us.front(), us.back()};
}

double parse_seconds(const char *opt, const char *v)
{
	char *end = nullptr;
	errno = 0;
	double d = std::strtod(v, &end);
	if (errno || end == v || *end || !(d >= 0) || d > 3600)
		die(std::string(opt) + ": not a number of seconds: " + v);
	return d;
}
uint32_t parse_bytes(const char *opt, const char *v)
{
	char *end = nullptr;
	errno = 0;
	unsigned long long n = std::strtoull(v, &end, 10);
	if (errno || end == v || *end || n == 0 || n > (64u << 20))
		die(std::string(opt) + ": not a size 1..64 MiB: " + v);
	return static_cast<uint32_t>(n);
}

void usage(FILE *f)
{
	std::fputs("usage: umc-netbench [--seconds S] [--stream-seconds S] [--pingpong-seconds S]\n"
		   "                    [--block BYTES] [--msg BYTES] [--json FILE|-]\n",
		   f);
}

} // namespace

int main(int argc, char **argv)
{
	double stream_secs = 2, pingpong_secs = 2;
	uint32_t block = 1 << 20, msg = 4096;
	std::optional<std::string> json_path;
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		if (a == "-h" || a == "--help") {
			usage(stdout);
			return 0;
		}
		if (i + 1 >= argc) {
			usage(stderr);
			die("missing value or unknown option: " + a);
		}
		const char *v = argv[++i];
		if (a == "--seconds") {
			stream_secs = pingpong_secs = parse_seconds(argv[i - 1], v);
		} else if (a == "--stream-seconds") {
			stream_secs = parse_seconds(argv[i - 1], v);
		} else if (a == "--pingpong-seconds") {
			pingpong_secs = parse_seconds(argv[i - 1], v);
		} else if (a == "--block") {
			block = parse_bytes(argv[i - 1], v);
		} else if (a == "--msg") {
			msg = parse_bytes(argv[i - 1], v);
		} else if (a == "--json") {
			json_path = v;
		} else {
			usage(stderr);
			die("unknown option: " + a);
		}
	}

	int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		die_errno("socket");
	sockaddr_in addr{};
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = 0;
	socklen_t alen = sizeof addr;
	if (::bind(lfd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0)
		die_errno("bind 127.0.0.1");
	if (::listen(lfd, 4) < 0)
		die_errno("listen");
	if (::getsockname(lfd, reinterpret_cast<sockaddr *>(&addr), &alen) < 0)
		die_errno("getsockname");
	std::thread server(serve, lfd);

	std::optional<StreamResult> st;
	std::optional<PingPongResult> pp;
	if (stream_secs > 0)
		st = run_stream(addr, block, stream_secs);
	if (pingpong_secs > 0)
		pp = run_pingpong(addr, msg, pingpong_secs);
	::close(connect_to(addr, kQuit, 1));
	server.join();
	::close(lfd);

	// With --json - the JSON alone goes to stdout and the text to stderr.
	FILE *text = json_path && *json_path == "-" ? stderr : stdout;
	if (st)
		std::fprintf(text, "stream   %u-byte writes: %.0f MiB/s (%" PRIu64 " bytes in %.3f s)\n", st->block,
			     st->mib_per_s, st->bytes, st->seconds);
	if (pp)
		std::fprintf(text,
			     "pingpong %u bytes each way, TCP_NODELAY: mean %.1f us, p50 %.1f us, p99 %.1f us (%zu "
			     "round trips)\n",
			     pp->msg, pp->mean_us, pp->p50_us, pp->p99_us, pp->count);
	std::fflush(text);

	if (json_path) {
		std::string j = "{\"tool\": \"umc-netbench\", \"address\": \"127.0.0.1\"";
		char b[512];
		if (st) {
			std::snprintf(b, sizeof b,
				      ", \"stream\": {\"block_bytes\": %u, \"seconds\": %.6f, \"bytes\": %" PRIu64
				      ", \"mib_per_s\": %.3f}",
				      st->block, st->seconds, st->bytes, st->mib_per_s);
			j += b;
		}
		if (pp) {
			std::snprintf(b, sizeof b,
				      ", \"pingpong\": {\"msg_bytes\": %u, \"count\": %zu, \"mean_us\": %.3f, "
				      "\"p50_us\": %.3f, "
				      "\"p99_us\": %.3f, \"min_us\": %.3f, \"max_us\": %.3f}",
				      pp->msg, pp->count, pp->mean_us, pp->p50_us, pp->p99_us, pp->min_us, pp->max_us);
			j += b;
		}
		j += "}\n";
		if (*json_path == "-") {
			std::fputs(j.c_str(), stdout);
		} else {
			FILE *f = std::fopen(json_path->c_str(), "w");
			if (!f)
				die_errno("open " + *json_path);
			if (std::fputs(j.c_str(), f) < 0 || std::fclose(f) != 0)
				die_errno("write " + *json_path);
		}
	}
	return 0;
}
