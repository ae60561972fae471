// log.cpp - spdlog-backed logging, backtraces, fatal errors and the optional
// fatal-signal handlers.
#include "log.hpp"

#include "mte/sys_service.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <execinfo.h>
#include <fcntl.h>
#include <memory>
#include <pthread.h>
#include <sys/prctl.h>
#include <mutex>
#include <thread>
#include <unistd.h>
#include <vector>

namespace mte::log {
namespace {

// The logger is swapped only by open()/close(); readers take the raw
// pointer.  A closed logger is flushed but kept (g_retired), so that a
// straggling thread that loaded the pointer just before close() never writes
// through a dangling one.  Opens per process are few.
std::shared_ptr<spdlog::logger> g_owner;
std::vector<std::shared_ptr<spdlog::logger>> g_retired;
std::atomic<spdlog::logger *> g_logger{nullptr};
// Until open() and after close(): the level for the stderr fallback.
std::atomic<int> g_fallback_level{SYS_LOG_INFO};

// Warnings and worse are flushed as they are written; everything else within
// kFlushInterval by a flusher thread, so that an info line never waits for
// the next warning (a file sink is buffered).  spdlog's own flush_every
// serves only loggers in its global registry, which ours is not in.
constexpr auto kFlushInterval = std::chrono::milliseconds(500);
// On the heap and never destroyed by exit(): a process may end without
// closing mte, and its flusher must not meet a destroyed mutex (or a
// joinable std::thread's destructor, which terminates).
struct Flusher {
	std::mutex mu;
	std::condition_variable cv;
	bool stop = false;
	std::thread thread;
};
Flusher *g_flusher = nullptr; // only open()/close() touch the pointer

void start_flusher(std::shared_ptr<spdlog::logger> lg)
{
	auto *f = new Flusher;
	f->thread = std::thread([f, lg = std::move(lg)] {
		pthread_setname_np(pthread_self(), "mte-logflush");
		std::unique_lock lk(f->mu);
		while (!f->cv.wait_for(lk, kFlushInterval, [f] { return f->stop; }))
			lg->flush();
	});
	g_flusher = f;
}

void stop_flusher()
{
	Flusher *f = g_flusher;
	g_flusher = nullptr;
	if (!f)
		return;
	{
		std::lock_guard lk(f->mu);
		f->stop = true;
	}
	f->cv.notify_all();
	f->thread.join();
	delete f;
}

int clamp_level(int level)
{
	return level < SYS_LOG_TRACE ? SYS_LOG_TRACE : level > SYS_LOG_OFF ? SYS_LOG_OFF : level;
}

spdlog::level::level_enum to_spdlog(int level)
{
	// SYS_LOG_* uses spdlog's numbering on purpose.
	return static_cast<spdlog::level::level_enum>(clamp_level(level));
}

int level_from_env()
{
	const char *env = std::getenv("MTE_LOG_LEVEL");
	if (!env || !*env)
		return SYS_LOG_INFO;
	static const char *const names[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
	for (int i = 0; i < 7; i++)
		if (strcasecmp(env, names[i]) == 0)
			return i;
	if (strcasecmp(env, "warning") == 0)
		return SYS_LOG_WARN;
	return SYS_LOG_INFO;
}

// "%N": the OS name of the logging thread (drbd_w_r0, a task's name, ...),
// read once per thread: the kernel thread names umc gives are more telling
// than thread ids.
class ThreadNameFlag final : public spdlog::custom_flag_formatter {
public:
	void format(const spdlog::details::log_msg &, const std::tm &, spdlog::memory_buf_t &dest) override
	{
		thread_local char name[16];
		thread_local bool known = false;
		if (!known) {
			if (prctl(PR_GET_NAME, name) != 0)
				std::strcpy(name, "?");
			known = true;
		}
		dest.append(name, name + std::strlen(name));
	}
	std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<ThreadNameFlag>(); }
};

// ---- fatal signals ---------------------------------------------------------
int g_crash_fd = STDERR_FILENO;
constexpr int kFatalSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
struct sigaction g_old_actions[sizeof(kFatalSignals) / sizeof(kFatalSignals[0])];
bool g_handlers_installed = false;
std::atomic<bool> g_in_crash{false};

void write_all(int fd, const char *s)
{
	size_t len = strlen(s);
	while (len) {
		ssize_t n = ::write(fd, s, len);
		if (n <= 0)
			return;
		s += n;
		len -= size_t(n);
	}
}

// Only async-signal-safe work here (backtrace() was primed at install time,
// so it does not allocate): a header line and the raw frames to the crash fd.
void on_fatal_signal(int sig)
{
	if (!g_in_crash.exchange(true)) {
		char line[96];
		// strsignal is not async-signal-safe; the number is enough.
		const char *what = sig == SIGSEGV  ? "SIGSEGV"
				   : sig == SIGBUS ? "SIGBUS"
				   : sig == SIGILL ? "SIGILL"
				   : sig == SIGFPE ? "SIGFPE"
						   : "SIGABRT";
		std::snprintf(line, sizeof line, "mte: fatal signal %s (%d), backtrace:\n", what, sig);
		write_all(g_crash_fd, line);
		void *frames[64];
		int n = ::backtrace(frames, 64);
		backtrace_symbols_fd(frames, n, g_crash_fd);
	}
	// SA_RESETHAND restored the default action: re-raise to die with `sig`.
	raise(sig);
}

} // namespace

int open(int level, const char *path)
{
	if (level < 0)
		level = level_from_env();
	std::shared_ptr<spdlog::logger> lg;
	try {
		spdlog::sink_ptr sink;
		if (path)
			sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, false);
		else
			sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
		// Not registered with spdlog's global registry: the process may use
		// spdlog for other things, and we must not collide with its names.
		lg = std::make_shared<spdlog::logger>("mte", std::move(sink));
	} catch (const spdlog::spdlog_ex &e) {
		std::fprintf(stderr, "mte: cannot open log %s: %s\n", path ? path : "(stderr)", e.what());
		return errno ? -errno : -EIO;
	}
	// time, level, thread name/id, then "[component] message".
	auto formatter = std::make_unique<spdlog::pattern_formatter>();
	formatter->add_flag<ThreadNameFlag>('N').set_pattern("%Y-%m-%d %H:%M:%S.%f %^%-5l%$ %N/%t %v");
	lg->set_formatter(std::move(formatter));
	lg->set_level(to_spdlog(level));
	lg->flush_on(spdlog::level::warn);
	g_owner = lg;
	g_logger.store(lg.get(), std::memory_order_release);
	start_flusher(lg);
	return 0;
}

void close()
{
	stop_flusher();
	spdlog::logger *lg = g_logger.exchange(nullptr, std::memory_order_acq_rel);
	if (lg) {
		g_fallback_level.store(int(lg->level()), std::memory_order_relaxed);
		lg->flush();
	}
	if (g_owner)
		g_retired.push_back(std::move(g_owner));
}

void write(int level, std::string_view component, std::string_view msg)
{
	level = clamp_level(level);
	if (level == SYS_LOG_OFF)
		return;
	// Drop one trailing newline: spdlog adds its own.
	if (!msg.empty() && msg.back() == '\n')
		msg.remove_suffix(1);
	if (spdlog::logger *lg = g_logger.load(std::memory_order_acquire)) {
		lg->log(to_spdlog(level), "[{}] {}", component, msg);
		return;
	}
	if (level >= g_fallback_level.load(std::memory_order_relaxed))
		fmt::print(stderr, "[{}] {}\n", component, msg);
}

bool enabled(int level)
{
	if (level >= SYS_LOG_OFF)
		return false;
	if (spdlog::logger *lg = g_logger.load(std::memory_order_acquire))
		return lg->should_log(to_spdlog(level));
	return level >= g_fallback_level.load(std::memory_order_relaxed);
}

void set_level(int level)
{
	if (spdlog::logger *lg = g_logger.load(std::memory_order_acquire))
		lg->set_level(to_spdlog(level));
	else
		g_fallback_level.store(clamp_level(level), std::memory_order_relaxed);
}

void flush()
{
	if (spdlog::logger *lg = g_logger.load(std::memory_order_acquire))
		lg->flush();
	std::fflush(stderr);
}

void backtrace(int level)
{
	if (!enabled(level))
		return;
	void *frames[64];
	int n = ::backtrace(frames, 64);
	char **symbols = backtrace_symbols(frames, n);
	write(level, "mte", fmt::format("backtrace of thread {} ({} frames):", gettid(), n));
	// Frame 0 is this function; start at the caller.
	for (int i = 1; i < n; i++) {
		std::string line = symbols ? symbols[i] : fmt::format("{}", frames[i]);
		// "binary(mangled+0x12) [0xaddr]": demangle the C++ part when present.
		size_t open = line.find('('), plus = line.find('+', open);
		if (open != std::string::npos && plus != std::string::npos && plus > open + 1) {
			std::string mangled = line.substr(open + 1, plus - open - 1);
			int status = 0;
			char *demangled = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
			if (status == 0 && demangled)
				line.replace(open + 1, plus - open - 1, demangled);
			std::free(demangled);
		}
		write(level, "mte", fmt::format("  #{:<2} {}", i - 1, line));
	}
	std::free(symbols);
}

void fatal(const char *where, const char *msg)
{
	write(SYS_LOG_CRITICAL, "mte", fmt::format("FATAL at {}: {}", where ? where : "?", msg ? msg : "?"));
	backtrace(SYS_LOG_CRITICAL);
	flush();
	std::abort();
}

void install_fatal_signal_handlers(const char *log_path)
{
	if (g_handlers_installed)
		return;
	// backtrace() loads libgcc on first use, which allocates: do it now,
	// outside any signal handler.
	void *prime[2];
	::backtrace(prime, 2);
	g_crash_fd = STDERR_FILENO;
	if (log_path) {
		int fd = ::open(log_path, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (fd >= 0)
			g_crash_fd = fd;
	}
	g_in_crash.store(false);
	struct sigaction sa {};
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < std::size(kFatalSignals); i++)
		sigaction(kFatalSignals[i], &sa, &g_old_actions[i]);
	g_handlers_installed = true;
}

void restore_fatal_signal_handlers()
{
	if (!g_handlers_installed)
		return;
	for (size_t i = 0; i < std::size(kFatalSignals); i++)
		sigaction(kFatalSignals[i], &g_old_actions[i], nullptr);
	if (g_crash_fd != STDERR_FILENO)
		::close(g_crash_fd);
	g_crash_fd = STDERR_FILENO;
	g_handlers_installed = false;
}

} // namespace mte::log
