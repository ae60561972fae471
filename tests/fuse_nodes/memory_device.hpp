// memory_device.hpp - an in-memory block device for the fuse_nodes tests:
// completes on its own threads (like a real backend), counts what arrives,
// injects errors, and can hold completions to prove requests overlap.
#pragma once

#include "fuse_nodes/block_device.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace t {

using namespace umc::fuse;

class MemoryDevice : public BlockDevice {
public:
	explicit MemoryDevice(uint64_t capacity, uint32_t lbs = 512, unsigned completion_threads = 2)
	    : storage_(capacity, 0), capacity_(capacity), lbs_(lbs)
	{
		for (unsigned i = 0; i < completion_threads; ++i)
			workers_.emplace_back([this] { complete_loop(); });
	}
	~MemoryDevice() override
	{
		{
			std::lock_guard guard(lock_);
			stopping_ = true;
			release_held_ = true;
		}
		changed_.notify_all();
		for (auto &t : workers_)
			t.join();
	}

	// ---- BlockDevice
	uint64_t capacity_bytes() const override { return capacity_.load(); }
	BlockLimits limits() const override
	{
		BlockLimits l;
		l.logical_block_size = lbs_;
		l.max_io_bytes = max_io_bytes;
		l.max_discard_bytes = max_discard_bytes;
		l.memory_alignment = memory_alignment;
		return l;
	}
	int open(OpenMode mode) override
	{
		std::lock_guard guard(lock_);
		opens.push_back(mode);
		return open_hook_ ? open_hook_(mode) : 0;
	}
	void release(OpenMode mode) override
	{
		{
			std::lock_guard guard(lock_);
			releases.push_back(mode);
		}
		released_.notify_all();
	}
	// FUSE_RELEASE follows close(2) asynchronously: wait for `count`, bounded.
	bool wait_for_releases(size_t count, std::chrono::milliseconds timeout)
	{
		std::unique_lock guard(lock_);
		return released_.wait_for(guard, timeout, [&] { return releases.size() >= count; });
	}
	void submit(bio_request *req) override
	{
		++submitted;
		int now = ++in_flight_;
		int seen = max_in_flight.load();
		while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
		}
		uint32_t align = memory_alignment.load();
		for (uint32_t i = 0; align > 1 && i < req->iovcnt; ++i)
			if (reinterpret_cast<uintptr_t>(req->iov[i].iov_base) % align)
				++misaligned_buffers;
		uint64_t len = req->length;
		uint64_t seen_len = max_request_bytes.load();
		while (len > seen_len && !max_request_bytes.compare_exchange_weak(seen_len, len)) {
		}
		{
			std::lock_guard guard(lock_);
			queue_.push_back(req);
		}
		changed_.notify_all();
	}

	// ---- test controls
	void resize(uint64_t capacity)
	{
		std::lock_guard guard(lock_);
		storage_.resize(capacity, 0);
		capacity_ = capacity;
	}
	// Fail requests of `op` touching [offset, offset+length) with `status`.
	void fail_range(uint32_t op, uint64_t offset, uint64_t length, int status = -EIO)
	{
		std::lock_guard guard(lock_);
		failures_.push_back({op, offset, length, status});
	}
	// Keep completions back until `count` requests are waiting at once or
	// `timeout` passed; returns at once.  Proves requests overlap.
	void hold_until_overlap(int count, std::chrono::milliseconds timeout)
	{
		std::lock_guard guard(lock_);
		hold_count_ = count;
		hold_deadline_ = std::chrono::steady_clock::now() + timeout;
		release_held_ = false;
	}
	std::vector<char> read_back(uint64_t offset, uint64_t length)
	{
		std::lock_guard guard(lock_);
		return std::vector<char>(storage_.begin() + offset, storage_.begin() + offset + length);
	}
	void fill(uint64_t offset, uint64_t length, char value)
	{
		std::lock_guard guard(lock_);
		std::memset(storage_.data() + offset, value, length);
	}

	void set_open_hook(std::function<int(OpenMode)> hook)
	{
		std::lock_guard guard(lock_);
		open_hook_ = std::move(hook);
	}

	std::vector<OpenMode> opens, releases; // guarded by lock_ (read after I/O)
	std::atomic<uint32_t> max_io_bytes{0};
	std::atomic<uint32_t> max_discard_bytes{0};
	std::atomic<uint32_t> memory_alignment{0};
	std::atomic<uint64_t> misaligned_buffers{0}; // iovecs that broke memory_alignment
	std::atomic<uint64_t> reads{0}, writes{0}, flushes{0}, discards{0}, write_zeroes{0}, submitted{0};
	std::atomic<int> max_in_flight{0};
	std::atomic<uint64_t> max_request_bytes{0};

	std::mutex &lock() { return lock_; }

private:
	struct Failure {
		uint32_t op;
		uint64_t offset, length;
		int status;
	};

	std::function<int(OpenMode)> open_hook_;
	std::vector<char> storage_;
	std::atomic<uint64_t> capacity_;
	uint32_t lbs_;
	std::mutex lock_;
	std::condition_variable changed_;
	std::condition_variable released_;
	std::deque<bio_request *> queue_;
	std::vector<Failure> failures_;
	std::vector<std::thread> workers_;
	std::atomic<int> in_flight_{0};
	bool stopping_ = false;
	int hold_count_ = 0;
	std::chrono::steady_clock::time_point hold_deadline_{};
	bool release_held_ = true;

	bool held_locked()
	{
		if (release_held_ || hold_count_ == 0)
			return false;
		if (static_cast<int>(queue_.size()) >= hold_count_ ||
		    std::chrono::steady_clock::now() >= hold_deadline_) {
			release_held_ = true; // one burst proves it; then flow freely
			return false;
		}
		return true;
	}

	void complete_loop()
	{
		std::unique_lock guard(lock_);
		for (;;) {
			if (queue_.empty() || held_locked()) {
				if (stopping_ && queue_.empty())
					return;
				if (!queue_.empty())
					changed_.wait_until(guard, hold_deadline_);
				else
					changed_.wait(guard);
				continue;
			}
			bio_request *req = queue_.front();
			queue_.pop_front();
			int status = execute_locked(req);
			guard.unlock();
			--in_flight_;
			req->end_io(req, status);
			guard.lock();
		}
	}

	int execute_locked(bio_request *req)
	{
		for (const Failure &f : failures_)
			if (f.op == req->op && (req->op == BIO_OP_FLUSH || (req->offset < f.offset + f.length &&
									    f.offset < req->offset + req->length)))
				return f.status;
		if (req->op != BIO_OP_FLUSH &&
		    (req->offset % lbs_ || req->length % lbs_ || req->offset + req->length > storage_.size()))
			return -EINVAL;
		switch (req->op) {
		case BIO_OP_READ:
		case BIO_OP_WRITE: {
			++(req->op == BIO_OP_READ ? reads : writes);
			uint64_t pos = req->offset, total = 0;
			for (uint32_t i = 0; i < req->iovcnt; ++i) {
				char *mem = static_cast<char *>(req->iov[i].iov_base);
				if (req->op == BIO_OP_READ)
					std::memcpy(mem, storage_.data() + pos, req->iov[i].iov_len);
				else
					std::memcpy(storage_.data() + pos, mem, req->iov[i].iov_len);
				pos += req->iov[i].iov_len;
				total += req->iov[i].iov_len;
			}
			return total == req->length ? 0 : -EINVAL;
		}
		case BIO_OP_FLUSH:
			++flushes;
			return 0;
		case BIO_OP_DISCARD:
		case BIO_OP_WRITE_ZEROES:
			++(req->op == BIO_OP_DISCARD ? discards : write_zeroes);
			std::memset(storage_.data() + req->offset, 0, req->length);
			return 0;
		default:
			return -EOPNOTSUPP;
		}
	}
};

} // namespace t
