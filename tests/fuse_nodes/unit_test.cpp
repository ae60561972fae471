// Unit tests of fuse_nodes pieces that need no mount.
#include "buffer_pool.hpp"
#include "fuse_nodes/block_device.hpp"
#include "fuse_nodes/fuse_tree.hpp"
#include "node_table.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <fcntl.h>

using namespace umc::fuse;

TEST(OpenMode, FollowsTheKernelsFmodeDerivation)
{
	EXPECT_EQ(OpenMode::from_open_flags(O_RDONLY), (OpenMode{true, false, false}));
	EXPECT_EQ(OpenMode::from_open_flags(O_WRONLY), (OpenMode{false, true, false}));
	EXPECT_EQ(OpenMode::from_open_flags(O_RDWR | O_DIRECT), (OpenMode{true, true, false}));
	EXPECT_EQ(OpenMode::from_open_flags(O_RDONLY | O_NONBLOCK), (OpenMode{true, false, true}));
	EXPECT_EQ(OpenMode::from_open_flags(O_ACCMODE), (OpenMode{false, false, false}));
}

TEST(NodeTable, BuildsDirectoriesAndNeverReusesInodes)
{
	NodeTable t;
	int err = 0;
	ASSERT_TRUE(t.make_dirs("sys/module/drbd/parameters", &err));
	auto file = std::make_shared<Node>();
	file->kind = NodeKind::Text;
	ASSERT_EQ(t.add_file("sys/module/drbd/parameters", "minor_count", file), 0);
	EXPECT_EQ(t.add_file("sys/module/drbd/parameters", "minor_count", std::make_shared<Node>()), -EEXIST);
	EXPECT_EQ(t.add_file("nowhere", "x", std::make_shared<Node>()), -ENOENT);
	EXPECT_EQ(t.add_file("sys", "a/b", std::make_shared<Node>()), -EINVAL);
	EXPECT_EQ(t.resolve("/sys//module/drbd/parameters/minor_count"), file);
	uint64_t ino = file->ino;
	t.unlink(file);
	EXPECT_EQ(t.get(ino), nullptr);
	EXPECT_EQ(t.resolve("sys/module/drbd/parameters/minor_count"), nullptr);
	auto again = std::make_shared<Node>();
	again->kind = NodeKind::Text;
	ASSERT_EQ(t.add_file("sys/module/drbd/parameters", "minor_count", again), 0);
	EXPECT_GT(again->ino, ino);
	EXPECT_FALSE(t.make_dirs("sys/module/drbd/parameters/minor_count/x", &err));
	EXPECT_EQ(err, -ENOTDIR);
	auto kids = t.children(t.resolve("sys/module")->ino);
	ASSERT_EQ(kids.size(), 1u);
	EXPECT_EQ(kids[0]->name, "drbd");
}

TEST(BufferPool, RecyclesAlignedBuffers)
{
	BufferPool pool;
	void *a = pool.get(5000);
	ASSERT_NE(a, nullptr);
	EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 4096, 0u);
	pool.put(a, 5000);
	EXPECT_EQ(pool.get(8192), a); // same size class
	pool.put(a, 8192);
	void *big = pool.get(9u << 20); // beyond the pooled sizes
	ASSERT_NE(big, nullptr);
	pool.put(big, 9u << 20);
	PooledBuffer p(pool, 1u << 20);
	EXPECT_TRUE(p);
}

TEST(FuseTree, DefaultRootComesFromTheEnvironment)
{
	setenv("UMC_FS_ROOT", "/tmp/elsewhere", 1);
	EXPECT_EQ(default_fs_root(), "/tmp/elsewhere");
	unsetenv("UMC_FS_ROOT");
	EXPECT_EQ(default_fs_root(), "/UMCfuse");
	FuseTreeOptions o;
	o.root = "/tmp/x";
	FuseTree t(o);
	EXPECT_EQ(t.root(), "/tmp/x");
	EXPECT_FALSE(t.running());
	EXPECT_EQ(t.stop(), 0);
	EXPECT_EQ(t.add_text_file("etc/passwd", {}), -EINVAL);
	EXPECT_EQ(t.add_module_parameter("drbd", "x", {}), 0);
	EXPECT_EQ(t.add_module_parameter("drbd", "x", {}), -EEXIST);
	EXPECT_EQ(t.remove_block_device("none"), -ENOENT);
	EXPECT_EQ(t.remove("sys/module/drbd/parameters/x"), 0);
	EXPECT_EQ(t.remove("sys/module/drbd"), -ENOTEMPTY);
	EXPECT_EQ(t.remove("sys/module/drbd/parameters"), 0);
	EXPECT_EQ(t.remove("sys/module/drbd"), 0);
	EXPECT_EQ(t.remove("sys/module"), -EPERM);
	EXPECT_EQ(t.remove("proc"), -EINVAL);
}
