// See helpers.hpp.
#include "helpers/helpers.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace t {

uint64_t now_ms()
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

bool wait_until(const std::function<bool()> &done, std::chrono::milliseconds deadline)
{
	const auto end = std::chrono::steady_clock::now() + deadline;
	auto delay = 1ms;
	for (;;) {
		if (done())
			return true;
		if (std::chrono::steady_clock::now() >= end)
			return done();
		std::this_thread::sleep_for(delay);
		delay = std::min<std::chrono::milliseconds>(delay * 2, 20ms);
	}
}

std::string read_file(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

void write_file(const std::string &path, const std::string &text)
{
	std::ofstream out(path, std::ios::binary | std::ios::trunc);
	out << text;
}

std::string temp_path(const std::string &stem)
{
	static std::atomic<int> n{0};
	const char *dir = getenv("TMPDIR");
	return std::string(dir && *dir ? dir : "/tmp") + "/umc_test_" + stem + "_" + std::to_string(getpid()) + "_" +
	       std::to_string(n++);
}

TempDir::TempDir(const std::string &tag)
{
	std::string pattern = "/tmp/" + tag + ".XXXXXX";
	std::vector<char> buf(pattern.begin(), pattern.end());
	buf.push_back('\0');
	if (!mkdtemp(buf.data()))
		throw std::runtime_error("mkdtemp " + pattern + " failed");
	path_ = buf.data();
}

TempDir::~TempDir()
{
	std::error_code ec;
	std::filesystem::remove_all(path_, ec);
}

} // namespace t
