#include "helpers.hpp"

namespace t {

void MteTest::SetUp()
{
	sys_service_params p{};
	p.log_level = SYS_LOG_WARN;
	p.leak_report = 0;
	int err = 1;
	s = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
	ASSERT_NE(s, nullptr) << "sys_service_open: " << err;
	ASSERT_EQ(err, 0);
}

void MteTest::TearDown()
{
	if (!s)
		return;
	sys_service_leaks leaks{~0ull, ~0ull};
	sys_service_close(&leaks);
	if (expect_no_leaks) {
		EXPECT_EQ(leaks.blocks, 0u);
		EXPECT_EQ(leaks.bytes, 0u);
	}
}

void MteTest::flush(sys_task_t *task)
{
	Signal done{};
	ASSERT_EQ(s->task_post(
			  task, SYS_PRIO_NORMAL, [](void *a) { static_cast<Signal *>(a)->post(); }, &done),
		  0);
	ASSERT_TRUE(done.wait());
}

sys_task_t *MteTest::make_task(const char *name, sys_call_cb wake_cb, void *wake_arg)
{
	sys_task_t *t = nullptr;
	int rc = s->task_create(&t, name, wake_cb, wake_arg);
	EXPECT_EQ(rc, 0);
	return t;
}

} // namespace t
