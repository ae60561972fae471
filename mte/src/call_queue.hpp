// call_queue.hpp - an intrusive FIFO of scheduled callbacks, so that post and
// cancel are O(1) and never allocate.  Not thread-safe: the owning task's
// lock protects it.
#pragma once

#include "mte/sys_service.h"

namespace mte {

struct CallNode {
	CallNode *prev = nullptr;
	CallNode *next = nullptr;
	sys_call_cb cb = nullptr;
	void *arg = nullptr;
	int prio = SYS_PRIO_NORMAL;
	bool queued = false;
	bool oneshot = false; // a task_post item: owned (and freed) by the task
};

class CallQueue {
public:
	bool empty() const { return head_ == nullptr; }

	void push_back(CallNode *n)
	{
		n->next = nullptr;
		n->prev = tail_;
		if (tail_)
			tail_->next = n;
		else
			head_ = n;
		tail_ = n;
		n->queued = true;
	}

	CallNode *pop_front()
	{
		CallNode *n = head_;
		if (n)
			unlink(n);
		return n;
	}

	void unlink(CallNode *n)
	{
		(n->prev ? n->prev->next : head_) = n->next;
		(n->next ? n->next->prev : tail_) = n->prev;
		n->prev = n->next = nullptr;
		n->queued = false;
	}

private:
	CallNode *head_ = nullptr;
	CallNode *tail_ = nullptr;
};

} // namespace mte
