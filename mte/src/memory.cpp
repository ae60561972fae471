// memory.cpp - attributed allocation on top of malloc/posix_memalign.
//
// Block layout (offset = round_up(sizeof(BlockHeader), max(align, 16))):
//
//   raw (from malloc)          user - sizeof(BlockHeader)       user
//   |---- padding (aligned) ---|--------- BlockHeader ----------|---- size bytes ----|
//
// The header keeps the requested size, the caller, the alignment and the
// distance back to `raw`.  Live counts are kept per caller in per-thread
// tables (see ThreadTable), so the hot path is a hash probe and two plain
// stores: no lock, no locked instruction, no shared cache line.
#include "memory.hpp"

#include "log.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <unordered_map>

namespace mte::memory {
namespace {

constexpr size_t kMinAlign = 16;
constexpr uint32_t kLiveMagic = 0x6d74656du; // "mtem"
constexpr uint32_t kDeadMagic = 0x64656164u; // "dead"

struct BlockHeader {
	size_t size;        // bytes requested
	const char *caller; // whom the block is attributed to
	uint32_t offset;    // user pointer - raw pointer
	uint32_t align;     // alignment asked for (>= kMinAlign)
	uint32_t session;   // accounting session the block was counted in
	uint32_t magic;     // kLiveMagic while allocated
};
static_assert(sizeof(BlockHeader) == 32 && sizeof(BlockHeader) % kMinAlign == 0);

// Accounting session: bumped by begin_session() so a block counted in an
// earlier session (a test that deliberately leaked, say) is not subtracted
// from the new session's counters.
std::atomic<uint32_t> g_session{1};

// Live blocks and bytes for one caller, as seen by one counting cell.  A
// block is counted up in the cell of the thread that allocates it and down in
// the cell of the thread that frees it; the report adds up every cell of a
// caller, so per-cell values may be negative.
struct Counter {
	std::atomic<int64_t> blocks{0};
	std::atomic<int64_t> bytes{0};
};

// Cells owned by one thread: an open-addressed table keyed by the caller
// pointer (the "file:line" strings have static storage, so the pointer is a
// cheap identity).  Only the owning thread writes, with plain load+store
// (no locked instructions); the report reads concurrently, hence atomics.
// Tables are never freed: a thread that ends hands its table to the next
// new thread, whose counts simply continue from there.
struct ThreadTable {
	static constexpr size_t kSlots = 1024; // power of two
	static constexpr size_t kProbes = 8;
	struct Slot {
		std::atomic<const char *> caller{nullptr};
		Counter count;
	};
	Slot slots[kSlots];
	std::atomic<bool> in_use{false};
	ThreadTable *next = nullptr; // all tables, for the report

	Counter *find_or_claim(const char *caller)
	{
		size_t i = hash(caller);
		for (size_t n = 0; n < kProbes; n++, i = (i + 1) & (kSlots - 1)) {
			const char *c = slots[i].caller.load(std::memory_order_relaxed);
			if (c == caller)
				return &slots[i].count;
			if (!c) {
				slots[i].caller.store(caller, std::memory_order_release);
				return &slots[i].count;
			}
		}
		return nullptr; // crowded: use the shared cells
	}
	static size_t hash(const char *p) { return (uintptr_t(p) * 0x9e3779b97f4a7c15ull) >> 54; }
};
static_assert(ThreadTable::kSlots == 1024, "hash() yields 10 bits");

// Shared cells (fetch_add) for threads without a table (during thread exit)
// and for callers that do not fit a crowded table.  Sharded map caller ->
// cell, allocated once and never destroyed, so it stays valid during static
// destruction and reachable for LeakSanitizer.
class SharedCells {
public:
	Counter *find_or_add(const char *caller)
	{
		Shard &s = shards_[(uintptr_t(caller) * 0x9e3779b97f4a7c15ull) >> (64 - kShardBits)];
		std::lock_guard lk(s.mu);
		auto [it, inserted] = s.map.try_emplace(caller, nullptr);
		if (inserted)
			it->second = new Counter;
		return it->second;
	}
	template <typename F> void for_each(F &&f)
	{
		for (Shard &s : shards_) {
			std::lock_guard lk(s.mu);
			for (auto &[caller, cell] : s.map)
				f(caller, *cell);
		}
	}

private:
	static constexpr unsigned kShardBits = 4;
	struct Shard {
		std::mutex mu;
		std::unordered_map<const char *, Counter *> map;
	};
	Shard shards_[1u << kShardBits];
};

SharedCells &shared_cells()
{
	static SharedCells *c = new SharedCells;
	return *c;
}

// Every ThreadTable ever made (a push-only list).
std::mutex g_tables_mu;
ThreadTable *g_tables = nullptr;

ThreadTable *acquire_table()
{
	std::lock_guard lk(g_tables_mu);
	for (ThreadTable *t = g_tables; t; t = t->next)
		if (!t->in_use.load(std::memory_order_relaxed)) {
			t->in_use.store(true, std::memory_order_relaxed);
			return t;
		}
	auto *t = new ThreadTable;
	t->in_use.store(true, std::memory_order_relaxed);
	t->next = g_tables;
	g_tables = t;
	return t;
}

template <typename F> void for_each_table(F &&f)
{
	std::lock_guard lk(g_tables_mu);
	for (ThreadTable *t = g_tables; t; t = t->next)
		f(*t);
}

// The calling thread's table.  Trivially destructible thread_locals plus one
// holder whose destructor gives the table back; after that (other TLS
// destructors may still free memory) the thread uses the shared cells.
thread_local ThreadTable *t_table = nullptr;
thread_local bool t_table_gone = false;
struct TableHolder {
	bool armed = false;
	~TableHolder()
	{
		if (t_table) {
			std::lock_guard lk(g_tables_mu);
			t_table->in_use.store(false, std::memory_order_relaxed);
		}
		t_table = nullptr;
		t_table_gone = true;
	}
};
thread_local TableHolder t_holder;

const char kUnknownCaller[] = "(unknown)";

// Count `blocks`/`bytes` (signed) for `caller` in the calling thread's cell.
void count(const char *caller, int64_t blocks, int64_t bytes)
{
	ThreadTable *t = t_table;
	if (!t && !t_table_gone) {
		t_holder.armed = true; // constructs it: registers its destructor
		t = t_table = acquire_table();
	}
	if (t) {
		if (Counter *c = t->find_or_claim(caller)) {
			// Single writer: no read-modify-write needed.
			c->blocks.store(c->blocks.load(std::memory_order_relaxed) + blocks, std::memory_order_relaxed);
			c->bytes.store(c->bytes.load(std::memory_order_relaxed) + bytes, std::memory_order_relaxed);
			return;
		}
	}
	Counter *c = shared_cells().find_or_add(caller);
	c->blocks.fetch_add(blocks, std::memory_order_relaxed);
	c->bytes.fetch_add(bytes, std::memory_order_relaxed);
}

void account(BlockHeader *h, const char *caller)
{
	h->caller = caller ? caller : kUnknownCaller;
	h->session = g_session.load(std::memory_order_relaxed);
	count(h->caller, 1, int64_t(h->size));
}

void unaccount(const BlockHeader *h)
{
	// A block from an earlier session was never counted in this one.
	if (h->session != g_session.load(std::memory_order_relaxed))
		return;
	count(h->caller, -1, -int64_t(h->size));
}

BlockHeader *header_of(const void *ptr)
{
	auto *h = reinterpret_cast<BlockHeader *>(const_cast<char *>(static_cast<const char *>(ptr)) -
						  sizeof(BlockHeader));
	if (h->magic != kLiveMagic)
		log::fatal("mte/memory", "pointer is not a live block from mem_alloc (double free or foreign pointer)");
	return h;
}

size_t header_offset(size_t align)
{
	return (sizeof(BlockHeader) + align - 1) & ~(align - 1);
}

// Allocate raw storage for `size` user bytes at `align`; returns the user pointer.
void *allocate_block(size_t size, size_t align, bool zero)
{
	const size_t offset = header_offset(align);
	if (size > SIZE_MAX - offset)
		return nullptr;
	void *raw;
	if (align <= kMinAlign) {
		// glibc malloc is 16-byte aligned on 64-bit targets.
		raw = zero ? std::calloc(1, offset + size) : std::malloc(offset + size);
		if (!raw)
			return nullptr;
	} else {
		if (posix_memalign(&raw, align, offset + size) != 0)
			return nullptr;
		if (zero)
			std::memset(static_cast<char *>(raw) + offset, 0, size);
	}
	char *user = static_cast<char *>(raw) + offset;
	auto *h = reinterpret_cast<BlockHeader *>(user - sizeof(BlockHeader));
	h->size = size;
	h->offset = uint32_t(offset);
	h->align = uint32_t(align);
	h->magic = kLiveMagic;
	return user;
}

void *raw_of(BlockHeader *h)
{
	return reinterpret_cast<char *>(h) + sizeof(BlockHeader) - h->offset;
}

} // namespace

void *alloc(size_t size, size_t align, const char *caller, bool zero) noexcept
{
	if (align == 0)
		align = kMinAlign;
	if ((align & (align - 1)) != 0 || align > (size_t(1) << 30))
		return nullptr;
	align = std::max(align, kMinAlign);
	void *user = allocate_block(size, align, zero);
	if (user)
		account(header_of(user), caller);
	return user;
}

void *realloc(void *ptr, size_t size, const char *caller) noexcept
{
	if (!ptr)
		return alloc(size, 0, caller, false);
	BlockHeader *h = header_of(ptr);
	if (h->align <= kMinAlign) {
		// The header sits at the start of the malloc block, so plain realloc
		// moves header and contents together and keeps 16-byte alignment.
		const size_t offset = h->offset;
		if (size > SIZE_MAX - offset)
			return nullptr;
		BlockHeader old = *h;
		void *raw = std::realloc(raw_of(h), offset + size);
		if (!raw)
			return nullptr; // the old block is untouched
		unaccount(&old);
		char *user = static_cast<char *>(raw) + offset;
		auto *nh = reinterpret_cast<BlockHeader *>(user - sizeof(BlockHeader));
		nh->size = size;
		account(nh, caller);
		return user;
	}
	// Over-aligned: there is no aligned realloc, so allocate, copy, free.
	void *user = allocate_block(size, h->align, false);
	if (!user)
		return nullptr;
	std::memcpy(user, ptr, std::min(size, h->size));
	account(header_of(user), caller);
	free(ptr);
	return user;
}

void free(void *ptr) noexcept
{
	if (!ptr)
		return;
	BlockHeader *h = header_of(ptr);
	unaccount(h);
	h->magic = kDeadMagic;
	std::free(raw_of(h));
}

size_t size(const void *ptr) noexcept
{
	return header_of(ptr)->size;
}

void begin_session() noexcept
{
	g_session.fetch_add(1, std::memory_order_relaxed);
	auto zero = [](Counter &c) {
		c.blocks.store(0, std::memory_order_relaxed);
		c.bytes.store(0, std::memory_order_relaxed);
	};
	for_each_table([&](ThreadTable &t) {
		for (auto &slot : t.slots)
			zero(slot.count);
	});
	shared_cells().for_each([&](const char *, Counter &c) { zero(c); });
}

LeakSummary summarize()
{
	// Sum every cell by caller text: the same "file:line" may exist at
	// several addresses (one per translation unit that expands the macro).
	std::map<std::string, std::pair<int64_t, int64_t>> by_text;
	auto add = [&](const char *caller, const Counter &c) {
		auto &[blocks, bytes] = by_text[caller];
		blocks += c.blocks.load(std::memory_order_relaxed);
		bytes += c.bytes.load(std::memory_order_relaxed);
	};
	for_each_table([&](ThreadTable &t) {
		for (auto &slot : t.slots)
			if (const char *caller = slot.caller.load(std::memory_order_acquire))
				add(caller, slot.count);
	});
	shared_cells().for_each(add);
	LeakSummary sum;
	for (auto &[text, counts] : by_text) {
		if (counts.first <= 0 && counts.second <= 0)
			continue;
		CallerLeak l{text, uint64_t(std::max<int64_t>(counts.first, 0)),
			     uint64_t(std::max<int64_t>(counts.second, 0))};
		sum.blocks += l.blocks;
		sum.bytes += l.bytes;
		sum.callers.push_back(std::move(l));
	}
	std::stable_sort(sum.callers.begin(), sum.callers.end(),
			 [](const CallerLeak &a, const CallerLeak &b) { return a.bytes > b.bytes; });
	return sum;
}

} // namespace mte::memory
