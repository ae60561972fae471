// deadline_heap.hpp - a binary min-heap of alarms keyed by (deadline, arming
// sequence), with each node remembering its index so that cancel and re-arm
// are O(log n).  The sequence number makes equal deadlines fire in arming
// order.  Not thread-safe: the owning task's lock protects it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mte {

struct HeapNode {
	static constexpr size_t kNotQueued = SIZE_MAX;
	uint64_t deadline = 0;
	uint64_t seq = 0;
	size_t index = kNotQueued;
	bool queued() const { return index != kNotQueued; }
};

class DeadlineHeap {
public:
	bool empty() const { return nodes_.empty(); }
	size_t size() const { return nodes_.size(); }
	HeapNode *top() const { return nodes_.empty() ? nullptr : nodes_.front(); }

	void push(HeapNode *n, uint64_t deadline)
	{
		n->deadline = deadline;
		n->seq = next_seq_++;
		n->index = nodes_.size();
		nodes_.push_back(n);
		sift_up(n->index);
	}

	void remove(HeapNode *n)
	{
		size_t i = n->index;
		size_t last = nodes_.size() - 1;
		if (i != last) {
			place(i, nodes_[last]);
			nodes_.pop_back();
			// The moved node may belong above or below its new place.
			if (i > 0 && before(nodes_[i], nodes_[(i - 1) / 2]))
				sift_up(i);
			else
				sift_down(i);
		} else {
			nodes_.pop_back();
		}
		n->index = HeapNode::kNotQueued;
	}

	HeapNode *pop()
	{
		HeapNode *n = top();
		if (n)
			remove(n);
		return n;
	}

	// Unlink everything (task shutdown).
	template <typename F> void clear(F &&on_node)
	{
		for (HeapNode *n : nodes_) {
			n->index = HeapNode::kNotQueued;
			on_node(n);
		}
		nodes_.clear();
	}

private:
	static bool before(const HeapNode *a, const HeapNode *b)
	{
		return a->deadline != b->deadline ? a->deadline < b->deadline : a->seq < b->seq;
	}
	void place(size_t i, HeapNode *n)
	{
		nodes_[i] = n;
		n->index = i;
	}
	void sift_up(size_t i)
	{
		HeapNode *n = nodes_[i];
		while (i > 0) {
			size_t parent = (i - 1) / 2;
			if (!before(n, nodes_[parent]))
				break;
			place(i, nodes_[parent]);
			i = parent;
		}
		place(i, n);
	}
	void sift_down(size_t i)
	{
		HeapNode *n = nodes_[i];
		const size_t count = nodes_.size();
		for (;;) {
			size_t child = 2 * i + 1;
			if (child >= count)
				break;
			if (child + 1 < count && before(nodes_[child + 1], nodes_[child]))
				child++;
			if (!before(nodes_[child], n))
				break;
			place(i, nodes_[child]);
			i = child;
		}
		place(i, n);
	}

	std::vector<HeapNode *> nodes_;
	uint64_t next_seq_ = 0;
};

} // namespace mte
