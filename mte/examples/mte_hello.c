/*
 * mte_hello.c - a tour of the sys_service table in plain C.
 *
 * Opens mte, creates one event task and, all on that task's thread:
 *   1. a callback posts a LOW and then a NORMAL callback: NORMAL runs first;
 *   2. three alarms armed out of order fire in deadline order;
 *   3. the second alarm writes to a pipe, and an fd watch on the pipe sees it;
 *   4. the last alarm tells main we are done (through a second pipe).
 * Then it closes mte, which prints the leak report, and exits 0 when nothing
 * leaked.  Between the two "main:" lines in the middle, every line comes from the
 * task thread, one callback at a time, in an order fixed by priorities and
 * deadlines.
 */
#define _GNU_SOURCE /* pipe2 */
#include <mte/sys_service.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define STR2(x) #x
#define STR(x)  STR2(x)
#define HERE    (__FILE__ ":" STR(__LINE__))

static const struct sys_service *sys;

struct hello;

struct alarm_ctx {
	struct hello *h;
	unsigned delay_ms;
};

struct hello {
	sys_task_t *task;
	sys_alarm_t *alarm[3];
	struct alarm_ctx alarm_ctx[3];
	int fired; /* alarms fired so far (task thread only) */
	sys_fd_watch_t *watch;
	int data_pipe[2]; /* alarm 2 -> fd watch   */
	int done_pipe[2]; /* alarm 3 -> main thread */
	uint64_t t0;
	char *note; /* a block from mem_alloc, freed before close */
};

static double ms_since(const struct hello *h)
{
	return (double)(sys->time_mono_ns() - h->t0) / 1e6;
}

static void on_normal(void *arg)
{
	(void)arg;
	printf("  call:  NORMAL priority callback (posted second, runs first)\n");
}

static void on_low(void *arg)
{
	(void)arg;
	printf("  call:  LOW priority callback\n");
}

static void on_start(void *arg)
{
	struct hello *h = arg;
	printf("  task '%s': first callback, on the task thread: %s\n", sys->thread_name(sys->thread_self()),
	       sys->task_current() == h->task ? "yes" : "no");
	/* Both are pending together once we return: NORMAL goes first. */
	sys->task_post(h->task, SYS_PRIO_LOW, on_low, h);
	sys->task_post(h->task, SYS_PRIO_NORMAL, on_normal, h);
}

static void on_readable(void *arg, int fd, uint32_t revents)
{
	struct hello *h = arg;
	char buf[32];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	if (n <= 0)
		return;
	buf[n] = '\0';
	printf("  fd:    pipe readable (revents 0x%x), read \"%s\", %.0f ms after start\n", (unsigned)revents, buf,
	       ms_since(h));
}

static void on_alarm(void *arg)
{
	struct alarm_ctx *a = arg;
	struct hello *h = a->h;
	h->fired++;
	printf("  alarm: +%u ms alarm fired (#%d), %.0f ms after start\n", a->delay_ms, h->fired, ms_since(h));
	if (h->fired == 2) {
		const char ping[] = "ping";
		if (write(h->data_pipe[1], ping, strlen(ping)) < 0)
			perror("write");
	}
	if (h->fired == 3) {
		char done = 1;
		if (write(h->done_pipe[1], &done, 1) < 0)
			perror("write");
	}
}

int main(void)
{
	struct sys_service_params params;
	memset(&params, 0, sizeof params);
	params.log_level = SYS_LOG_INFO;
	params.leak_report = 1; /* always print it, even when clean */

	int err = 0;
	sys = sys_service_open(SYS_SERVICE_VERSION, &params, &err);
	if (!sys) {
		fprintf(stderr, "sys_service_open: %s\n", strerror(-err));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	struct hello h;
	memset(&h, 0, sizeof h);
	h.t0 = sys->time_mono_ns();
	h.note = sys->mem_alloc(64, 0, HERE);
	snprintf(h.note, 64, "hello from mte v%u", sys->version);
	printf("main: %s\n", h.note);

	if (pipe2(h.data_pipe, O_CLOEXEC | O_NONBLOCK) || pipe2(h.done_pipe, O_CLOEXEC)) {
		perror("pipe2");
		return 1;
	}
	if ((err = sys->task_create(&h.task, "hello-task", NULL, NULL)) != 0 ||
	    (err = sys->fd_watch_create(&h.watch, h.task, h.data_pipe[0], SYS_FD_IN, on_readable, &h)) != 0) {
		fprintf(stderr, "setup: %s\n", strerror(-err));
		return 1;
	}

	/* Armed as 30 ms, 10 ms, 20 ms; they fire as 10, 20, 30. */
	static const unsigned delay_ms[3] = {30, 10, 20};
	for (int i = 0; i < 3; i++) {
		h.alarm_ctx[i].h = &h;
		h.alarm_ctx[i].delay_ms = delay_ms[i];
		sys->alarm_create(&h.alarm[i], h.task, on_alarm, &h.alarm_ctx[i]);
		sys->alarm_arm(h.alarm[i], h.t0 + delay_ms[i] * 1000000ull);
	}
	printf("main: armed alarms at +30, +10, +20 ms; waiting\n");
	/* From here on only the task thread prints, until main is woken. */
	sys->task_post(h.task, SYS_PRIO_NORMAL, on_start, &h);

	char done;
	while (read(h.done_pipe[0], &done, 1) < 0 && errno == EINTR)
		;
	printf("main: done, tearing down\n");

	for (int i = 0; i < 3; i++)
		sys->alarm_destroy(h.alarm[i]);
	sys->fd_watch_destroy(h.watch); /* before closing the fd */
	sys->task_destroy(h.task);
	close(h.data_pipe[0]);
	close(h.data_pipe[1]);
	close(h.done_pipe[0]);
	close(h.done_pipe[1]);
	sys->mem_free(h.note);

	struct sys_service_leaks leaks;
	sys_service_close(&leaks);
	printf("main: closed, %llu blocks / %llu bytes leaked\n", (unsigned long long)leaks.blocks,
	       (unsigned long long)leaks.bytes);
	return leaks.blocks == 0 ? 0 : 1;
}
