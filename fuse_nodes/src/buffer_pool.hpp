// buffer_pool.hpp - page-aligned I/O buffers recycled by power-of-two size.
//
// Read replies and copied writes need a buffer per request; 1 MiB malloc()s
// go to mmap/munmap and fault in 256 pages every time, so buffers are kept.
#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

namespace umc::fuse {

class BufferPool {
public:
	static constexpr size_t kMinSize = 4096;
	static constexpr size_t kMaxPooled = 4u << 20; // larger ones are not kept
	static constexpr size_t kAlignment = 4096;

	BufferPool() = default;
	~BufferPool();
	BufferPool(const BufferPool &) = delete;
	BufferPool &operator=(const BufferPool &) = delete;

	// A buffer of at least `size` bytes (page aligned), or nullptr.
	void *get(size_t size);
	// Return a buffer obtained with get(size) (same size).
	void put(void *buf, size_t size);

private:
	static constexpr int kClasses = 11; // 4 KiB .. 4 MiB
	struct SizeClass {
		std::mutex lock;
		std::vector<void *> free;
	};
	SizeClass classes_[kClasses];

	static int class_of(size_t size, size_t *rounded);
	static size_t keep_limit(size_t class_size);
};

// A buffer from a pool, returned on destruction.
class PooledBuffer {
public:
	PooledBuffer() = default;
	PooledBuffer(BufferPool &pool, size_t size) : pool_(&pool), size_(size), data_(pool.get(size)) {}
	~PooledBuffer() { reset(); }
	PooledBuffer(PooledBuffer &&o) noexcept : pool_(o.pool_), size_(o.size_), data_(o.data_) { o.data_ = nullptr; }
	PooledBuffer &operator=(PooledBuffer &&o) noexcept
	{
		if (this != &o) {
			reset();
			pool_ = o.pool_;
			size_ = o.size_;
			data_ = o.data_;
			o.data_ = nullptr;
		}
		return *this;
	}
	void reset()
	{
		if (data_)
			pool_->put(data_, size_);
		data_ = nullptr;
	}
	char *data() const { return static_cast<char *>(data_); }
	explicit operator bool() const { return data_ != nullptr; }

private:
	BufferPool *pool_ = nullptr;
	size_t size_ = 0;
	void *data_ = nullptr;
};

} // namespace umc::fuse
