#include "buffer_pool.hpp"

#include <algorithm>
#include <cstdlib>

namespace umc::fuse {

BufferPool::~BufferPool()
{
	for (auto &c : classes_)
		for (void *buf : c.free)
			std::free(buf);
}

int BufferPool::class_of(size_t size, size_t *rounded)
{
	size_t s = kMinSize;
	int index = 0;
	while (s < size && index < kClasses) {
		s <<= 1;
		++index;
	}
	*rounded = s;
	return index < kClasses ? index : -1;
}

// Keep up to 64 MiB per class, at least 8 and at most 256 buffers: enough for
// max_background requests of 1 MiB in flight without going back to mmap.
size_t BufferPool::keep_limit(size_t class_size)
{
	return std::clamp<size_t>((64u << 20) / class_size, 8, 256);
}

void *BufferPool::get(size_t size)
{
	size_t rounded;
	int index = class_of(size, &rounded);
	if (index >= 0) {
		SizeClass &c = classes_[index];
		std::lock_guard guard(c.lock);
		if (!c.free.empty()) {
			void *buf = c.free.back();
			c.free.pop_back();
			return buf;
		}
	} else {
		rounded = (size + kAlignment - 1) & ~(kAlignment - 1);
	}
	void *buf = nullptr;
	if (posix_memalign(&buf, kAlignment, rounded) != 0)
		return nullptr;
	return buf;
}

void BufferPool::put(void *buf, size_t size)
{
	size_t rounded;
	int index = class_of(size, &rounded);
	if (index >= 0) {
		SizeClass &c = classes_[index];
		std::lock_guard guard(c.lock);
		if (c.free.size() < keep_limit(rounded)) {
			c.free.push_back(buf);
			return;
		}
	}
	std::free(buf);
}

} // namespace umc::fuse
