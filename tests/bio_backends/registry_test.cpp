// Opening devices by name: clear errors, and no file created or truncated
// when an open is refused.
#include "helpers.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace t;

namespace {

struct Opened {
	int rc;
	std::string err;
	bio_device *dev = nullptr;
	~Opened()
	{
		if (dev)
			bio_close(dev);
	}
};

std::unique_ptr<Opened> try_open(const std::string &spec)
{
	auto o = std::make_unique<Opened>();
	char err[512] = "";
	o->rc = bio_open_spec(&o->dev, sys(), spec.c_str(), err, sizeof err);
	o->err = err;
	return o;
}

bool exists(const std::string &p)
{
	struct stat st;
	return stat(p.c_str(), &st) == 0;
}

off_t file_size(const std::string &p)
{
	struct stat st;
	return stat(p.c_str(), &st) == 0 ? st.st_size : -1;
}

TEST(Registry, ListsTheBuiltInBackends)
{
	const char *names[16];
	size_t n = bio_backend_list(names, 16);
	std::set<std::string> got(names, names + std::min<size_t>(n, 16));
	for (const char *want : {"ram", "mmap", "uring", "aio", "fault", "tcmu"})
		EXPECT_TRUE(got.count(want)) << want;
}

TEST(Registry, UnknownBackendNamesTheKnownOnes)
{
	auto o = try_open("floppy:size=1M");
	EXPECT_EQ(o->rc, -ENOENT);
	EXPECT_NE(o->err.find("unknown backend 'floppy'"), std::string::npos) << o->err;
	EXPECT_NE(o->err.find("uring"), std::string::npos) << o->err;
	EXPECT_EQ(o->dev, nullptr);
}

TEST(Registry, BadSizesAreRefused)
{
	for (const char *spec : {"ram:size=abc", "ram:size=0", "ram:size=1000", "ram:size=-4K", "ram:size=4Q",
				 "ram:size=99999999999999999999", "ram:size=", "ram"}) {
		auto o = try_open(spec);
		EXPECT_EQ(o->rc, -EINVAL) << spec;
		EXPECT_NE(o->err.find("size"), std::string::npos) << spec << ": " << o->err;
	}
	auto ok = try_open("ram:size=1MiB");
	ASSERT_EQ(ok->rc, 0) << ok->err;
	EXPECT_EQ(ok->dev->size, 1u << 20);
}

TEST(Registry, UnknownAndDuplicateOptionsCreateNothing)
{
	TempDir d;
	std::string img = d.file("new.img");
	auto o = try_open("uring:path=" + img + ",create=1,size=1M,colour=blue");
	EXPECT_EQ(o->rc, -EINVAL);
	EXPECT_NE(o->err.find("unknown option 'colour'"), std::string::npos) << o->err;
	EXPECT_NE(o->err.find("queue_depth"), std::string::npos) << "should list accepted options: " << o->err;
	EXPECT_FALSE(exists(img));

	o = try_open("aio:path=" + img + ",create=1,size=1M,size=2M");
	EXPECT_EQ(o->rc, -EINVAL);
	EXPECT_NE(o->err.find("duplicate option 'size'"), std::string::npos) << o->err;
	EXPECT_FALSE(exists(img));

	o = try_open("mmap:path=" + img + ",create=1,size=1M,,");
	EXPECT_EQ(o->rc, -EINVAL) << "empty option";
	o = try_open("mmap:path=" + img + ",create=1,=3,size=1M");
	EXPECT_EQ(o->rc, -EINVAL) << "option without key";
	o = try_open("uring:path=" + img + ",create=1,size=1M,queue_depth=0");
	EXPECT_EQ(o->rc, -EINVAL);
	EXPECT_NE(o->err.find("queue_depth"), std::string::npos) << o->err;
	o = try_open("uring:path=" + img + ",create=maybe,size=1M");
	EXPECT_EQ(o->rc, -EINVAL);
	EXPECT_FALSE(exists(img));
}

TEST(Registry, MissingFileWithoutCreateIsNotCreated)
{
	TempDir d;
	for (const char *b : {"mmap", "uring", "aio"}) {
		std::string img = d.file(std::string(b) + ".img");
		auto o = try_open(std::string(b) + ":path=" + img + ",size=1M");
		EXPECT_EQ(o->rc, -ENOENT) << b;
		EXPECT_NE(o->err.find("no such file"), std::string::npos) << o->err;
		EXPECT_NE(o->err.find(img), std::string::npos) << o->err;
		EXPECT_FALSE(exists(img)) << b;
		o = try_open(std::string(b) + ":path=" + img + ",create=1");
		EXPECT_EQ(o->rc, -EINVAL) << "create without size";
		EXPECT_FALSE(exists(img)) << b;
		o = try_open(std::string(b));
		EXPECT_EQ(o->rc, -EINVAL);
		EXPECT_NE(o->err.find("path="), std::string::npos) << o->err;
	}
}

// create=1 makes the missing directories above the file too (mkdir -p), as
// a "path = /srv/umc/d0.img" on a fresh machine needs; a refused open makes
// none.
TEST(Registry, CreateMakesMissingDirectories)
{
	TempDir d;
	for (const char *b : {"mmap", "uring", "aio"}) {
		std::string dir = d.file(std::string(b) + "-a"), img = dir + "/b/c/d.img";
		auto o = try_open(std::string(b) + ":path=" + img + ",create=1");
		EXPECT_EQ(o->rc, -EINVAL) << "create without size";
		EXPECT_FALSE(exists(dir)) << b << ": a refused open made a directory";
		o = try_open(std::string(b) + ":path=" + img + ",create=1,size=1M");
		ASSERT_EQ(o->rc, 0) << b << ": " << o->err;
		o.reset();
		EXPECT_EQ(file_size(img), 1 << 20) << b;
	}
	// Something that is not a directory on the way is refused by name.
	std::string file = d.file("plain");
	write_file(file, "x");
	auto o = try_open("uring:path=" + file + "/sub/d.img,create=1,size=1M");
	EXPECT_EQ(o->rc, -ENOTDIR);
	EXPECT_NE(o->err.find("ot a directory"), std::string::npos) << o->err;
}

// bio_check refuses what bio_open refuses, in the same words, and creates,
// changes and opens nothing.
TEST(Registry, CheckRefusesWhatOpenRefusesWithoutCreating)
{
	TempDir d;
	struct Case {
		std::string backend, options;
	};
	std::string missing = d.file("missing.img"), fresh = d.file("new/dir/d.img"), small = d.file("small.img");
	write_file(small, std::string(4096, 's'));
	const Case refused[] = {
		{"ram", "size=12 parsecs"},
		{"ram", "size=1M,colour=red"},
		{"ram", ""},
		{"floppy", ""},
		{"uring", "path=" + missing},
		{"aio", "path=" + missing + ",size=1M"},
		{"mmap", "path=" + missing + ",create=1"},
		{"uring", "path=" + small + ",size=1M"},
		{"uring", "path=" + fresh + ",create=1,size=1M,queue_depth=0"},
		{"mmap", "path=" + fresh + ",create=1,size=1M,dirty_chunk=3"},
		{"fault", "path=" + missing},
		{"fault", "inner=uring,path=" + missing},
		{"tcmu", "handler=qcow,path=" + missing},
	};
	for (const Case &c : refused) {
		char err[512] = "";
		int rc = bio_check(c.backend.c_str(), c.options.c_str(), err, sizeof err);
		auto o = try_open(c.backend + ":" + c.options);
		EXPECT_LT(rc, 0) << c.backend << ":" << c.options;
		EXPECT_EQ(rc, o->rc) << c.backend << ":" << c.options;
		EXPECT_EQ(std::string(err), o->err) << c.backend << ":" << c.options;
	}
	const Case fine[] = {
		{"ram", "size=1M"},
		{"uring", "path=" + fresh + ",create=1,size=1M"},
		{"aio", "path=" + small},
		{"mmap", "path=" + small + ",size=4K,dirty_chunk=64K"},
		{"fault", "inner=aio,path=" + fresh + ",create=yes,size=64K"},
	};
	for (const Case &c : fine) {
		char err[512] = "";
		EXPECT_EQ(bio_check(c.backend.c_str(), c.options.c_str(), err, sizeof err), 0)
			<< c.backend << ":" << c.options << ": " << err;
	}
	EXPECT_FALSE(exists(missing));
	EXPECT_FALSE(exists(d.file("new"))) << "bio_check created a directory";
	EXPECT_EQ(read_file(small), std::string(4096, 's'));
}

TEST(Registry, ExistingFilesAreNeverTruncated)
{
	TempDir d;
	std::string img = d.file("old.img");
	write_file(img, std::string(8192, 'a'));
	// Asking for more than the file holds, without create, is refused.
	auto o = try_open("uring:path=" + img + ",size=1M");
	EXPECT_EQ(o->rc, -EINVAL);
	EXPECT_NE(o->err.find("smaller than size"), std::string::npos) << o->err;
	EXPECT_EQ(file_size(img), 8192);
	// Asking for less exposes a prefix and leaves the file alone.
	o = try_open("mmap:path=" + img + ",size=4K");
	ASSERT_EQ(o->rc, 0) << o->err;
	EXPECT_EQ(o->dev->size, 4096u);
	o.reset();
	EXPECT_EQ(file_size(img), 8192);
	// create=1 on an existing file neither truncates nor clears it.
	o = try_open("aio:path=" + img + ",create=1,size=4K");
	ASSERT_EQ(o->rc, 0) << o->err;
	o.reset();
	EXPECT_EQ(read_file(img), std::string(8192, 'a'));
	// Not a file or device.
	o = try_open("uring:path=" + d.path());
	EXPECT_EQ(o->rc, -EINVAL);
}

TEST(Registry, SizeFromTheFileAndCreateExtends)
{
	TempDir d;
	std::string img = d.file("f.img");
	write_file(img, std::string(10000, 'b')); // not a sector multiple
	auto o = try_open("uring:path=" + img);
	ASSERT_EQ(o->rc, 0) << o->err;
	EXPECT_EQ(o->dev->size, 9728u) << "rounded down to whole sectors";
	o.reset();
	o = try_open("mmap:path=" + img + ",create=1,size=64K");
	ASSERT_EQ(o->rc, 0) << o->err;
	EXPECT_EQ(o->dev->size, 65536u);
	o.reset();
	EXPECT_EQ(file_size(img), 65536) << "create=1 extends a smaller file";
}

// A backend provided from outside the library.
int ext_open(bio_device *dev, const bio_open_args *)
{
	dev->size = 4096;
	return 0;
}
void ext_close(bio_device *) {}
void ext_submit(bio_device *, bio_request *r)
{
	r->end_io(r, 0);
}
const char *const ext_keys[] = {nullptr};

TEST(Registry, RegisterChecksVersionAndNames)
{
	static bio_backend_ops ext = {BIO_BACKEND_VERSION,
				      sizeof(bio_backend_ops),
				      "ext_test",
				      "test",
				      ext_keys,
				      ext_open,
				      ext_close,
				      ext_submit,
				      nullptr,
				      nullptr,
				      {}};
	static bio_backend_ops old = ext, dup = ext, badname = ext;
	old.version = BIO_BACKEND_VERSION + 1;
	old.name = "ext_old";
	dup.name = "ram";
	badname.name = "Bad-Name";
	EXPECT_EQ(bio_backend_register(&old), -EPROTO);
	EXPECT_EQ(bio_backend_register(&dup), -EEXIST);
	EXPECT_EQ(bio_backend_register(&badname), -EINVAL);
	bool earlier = bio_backend_find("ext_test") == &ext; // --gtest_repeat runs this again in-process
	int rc = bio_backend_register(&ext);
	EXPECT_EQ(rc, earlier ? -EEXIST : 0);
	EXPECT_EQ(bio_backend_find("ext_test"), &ext);
	auto o = try_open("ext_test");
	ASSERT_EQ(o->rc, 0) << o->err;
	EXPECT_EQ(o->dev->caps.logical_block_size, 512u) << "defaults filled in";
	auto bad = try_open("ext_test:x=1");
	EXPECT_EQ(bad->rc, -EINVAL);
	EXPECT_NE(bad->err.find("unknown option 'x'"), std::string::npos) << bad->err;
}

TEST(Registry, UnsupportedOpsAreRefusedBeforeTheBackend)
{
	auto o = try_open("ext_test");
	if (o->rc == -ENOENT) {
		static bio_backend_ops ext = {BIO_BACKEND_VERSION,
					      sizeof(bio_backend_ops),
					      "ext_test",
					      "test",
					      ext_keys,
					      ext_open,
					      ext_close,
					      ext_submit,
					      nullptr,
					      nullptr,
					      {}};
		ASSERT_EQ(bio_backend_register(&ext), 0);
		o = try_open("ext_test");
	}
	ASSERT_EQ(o->rc, 0);
	EXPECT_EQ(sync_io(o->dev, BIO_OP_DISCARD, 0, 0, nullptr, 512), -EOPNOTSUPP);
	EXPECT_EQ(sync_io(o->dev, BIO_OP_WRITE_ZEROES, 0, 0, nullptr, 512), -EOPNOTSUPP);
	EXPECT_EQ(sync_io(o->dev, BIO_OP_FLUSH, 0, 0, nullptr, 0), 0);
}

TEST(Registry, ParseHelpers)
{
	uint64_t v;
	EXPECT_EQ(bio_parse_size("4K", &v), 0);
	EXPECT_EQ(v, 4096u);
	EXPECT_EQ(bio_parse_size("3G", &v), 0);
	EXPECT_EQ(v, 3ull << 30);
	EXPECT_EQ(bio_parse_size("2TiB", &v), 0);
	EXPECT_EQ(v, 2ull << 40);
	EXPECT_EQ(bio_parse_size("1KB", &v), 0);
	EXPECT_EQ(bio_parse_size("20000000T", &v), -EINVAL) << "overflow";
	EXPECT_EQ(bio_parse_size(" 1", &v), -EINVAL);
	int b;
	EXPECT_EQ(bio_parse_bool("off", &b), 0);
	EXPECT_EQ(b, 0);
	EXPECT_EQ(bio_parse_bool("", &b), 0);
	EXPECT_EQ(b, 1);
	EXPECT_EQ(bio_parse_bool("2", &b), -EINVAL);
}

} // namespace

namespace {
TEST(Resize, FixedSizeBackendsSayEopnotsupp)
{
	bio_device *dev = nullptr;
	char err[256];
	ASSERT_EQ(bio_open_spec(&dev, t::sys(), "ram:size=1M", err, sizeof err), 0) << err;
	EXPECT_EQ(bio_resize(dev, 2u << 20), -EOPNOTSUPP);
	EXPECT_EQ(bio_device_size(dev), 1u << 20);
	bio_close(dev);
}
} // namespace
