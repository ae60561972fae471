// text_file.hpp - small text files under proc/ and sys/ backed by callbacks
// (later: /proc/drbd from DRBD's seq_file, module parameters).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace umc::fuse {

struct TextFile {
	// Produces the whole content.  Called once per open(2) (a snapshot per
	// open, like seq_file); reads of that open see only the snapshot.
	// Leave empty for a write-only file (reads return nothing).
	std::function<std::string()> show;
	// Receives the bytes of each write(2) call; returns 0 (all accepted) or a
	// negative errno that reaches the writer.  Empty: the file is read-only
	// (mode without write bits and EACCES/EBADF for writers).
	std::function<int(std::string_view)> store;
	// Permission bits; 0 picks 0444 or 0644 from whether `store` is set.
	mode_t mode = 0;
};

} // namespace umc::fuse
