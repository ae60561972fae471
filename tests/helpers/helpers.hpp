// helpers.hpp - what every C++ test may need, whatever it tests: a
// monotonic clock, files and temporary directories, and waiting for a
// condition with a deadline.  Each test directory adds its own fixtures in
// its own helpers.hpp; everything lives in namespace t (as liburing's t_*).
//
// Waiting always has a generous deadline, so that a broken contract fails
// the test instead of hanging it; nothing here sleeps to synchronise.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace t {

using namespace std::chrono_literals;

// "Never happens" for a test that passes: the bound of every wait.
constexpr std::chrono::milliseconds kDeadline = 30s;

// Monotonic ms since an arbitrary point (for measuring, never for syncing).
uint64_t now_ms();

// Until `done()` holds, re-checking on a short back-off; false when
// `deadline` passed first.  For states nothing signals (a counter another
// thread bumps, a file a daemon writes); whatever can be signalled is
// waited for on a condition variable instead.
bool wait_until(const std::function<bool()> &done, std::chrono::milliseconds deadline = kDeadline);

// A whole file as a string (empty when it cannot be read).
std::string read_file(const std::string &path);
// Replaces `path` with `text`.
void write_file(const std::string &path, const std::string &text);

// A fresh path (nothing created) under $TMPDIR or /tmp, unique in this
// process and across processes.
std::string temp_path(const std::string &stem);

// A directory under /tmp (ext4 on the test hosts, so durability is real),
// removed with everything in it when the object goes away -- also when a
// test fails.
class TempDir {
public:
	explicit TempDir(const std::string &tag = "umc-test");
	virtual ~TempDir();
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;
	const std::string &path() const { return path_; }
	// A path inside the directory.
	std::string file(const std::string &name) const { return path_ + "/" + name; }

protected:
	std::string path_;
};

} // namespace t
