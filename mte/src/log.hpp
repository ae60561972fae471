// log.hpp - mte's logging (spdlog behind it), backtraces and fatal errors.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <string_view>

namespace mte::log {

// Bring the logger up: `level` as in sys_service_params (-1: MTE_LOG_LEVEL
// from the environment, else INFO), `path` NULL for stderr.  Returns 0 or -errno.
int open(int level, const char *path);
// Flush and drop the logger; later messages go to stderr unformatted.
void close();

void write(int level, std::string_view component, std::string_view msg);
bool enabled(int level);
void set_level(int level);
void flush();
// The calling thread's stack, one log line per frame, at `level`.
void backtrace(int level);
[[noreturn]] void fatal(const char *where, const char *msg);

// SIGSEGV/SIGBUS/SIGILL/SIGFPE/SIGABRT: print a backtrace, then re-raise.
void install_fatal_signal_handlers(const char *log_path);
void restore_fatal_signal_handlers();

// mte's own messages, formatted only when enabled.
template <typename... Args> void logf(int level, fmt::format_string<Args...> fmt, Args &&...args)
{
	if (enabled(level))
		write(level, "mte", fmt::format(fmt, std::forward<Args>(args)...));
}

} // namespace mte::log
