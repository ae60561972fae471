// memory.hpp - mte's attributed allocator: every block carries a small header
// naming its caller, and live counts/bytes are kept per caller so that
// sys_service_close() can say who leaked what.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mte::memory {

void *alloc(size_t size, size_t align, const char *caller, bool zero) noexcept;
void *realloc(void *ptr, size_t size, const char *caller) noexcept;
void free(void *ptr) noexcept;
size_t size(const void *ptr) noexcept;

// One line of the leak report: blocks attributed to one caller string.
struct CallerLeak {
	std::string caller;
	uint64_t blocks = 0;
	uint64_t bytes = 0;
};

struct LeakSummary {
	uint64_t blocks = 0;
	uint64_t bytes = 0;
	std::vector<CallerLeak> callers; // every caller with live blocks, most bytes first
};

// Start a new accounting session (sys_service_open): counters restart at zero
// and blocks from earlier sessions are no longer counted when freed.
void begin_session() noexcept;
// What is live now in the current session.
LeakSummary summarize();

} // namespace mte::memory
