// helpers.hpp - the kernel tests' fixture: a stand-in for the runtime
// behind the memory and printk walls
// (umc/wall/umc/mem.h, printk.h, runtime.h), for unit tests of kernel-side
// C that must not depend on the runtime being up: plain C-library memory
// with a live-allocation count (so tests can assert that the kernel code
// frees everything it allocated), and a captured log.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace t::wall {

// Blocks (kmalloc/vmalloc/kmem_cache objects) currently allocated.
std::size_t live_allocations();
// kmem_cache objects currently created.
std::size_t live_caches();
// printk output since the last clear, one entry per message, level prefix kept.
std::vector<std::string> log();
void clear_log();
// Number of umc_dump_stack() calls (every WARN ends in one).
int stack_dumps();

} // namespace t::wall
