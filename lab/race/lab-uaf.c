// SPDX-License-Identifier: GPL-2.0-only
/*
 * A race test case (docs/races.md) for the lab module's object
 * (lab/module/kcov_lab.c): thread 1 reads the object's value, thread 2 frees
 * the object.  The read checks that there is an object, then reads its
 * value, with nothing to keep it alive in between: when the free falls
 * there, the read is a use-after-free, which KASAN reports.
 *
 * The four functions are the test case ABI of Project Zero's MAccConc
 * (kcov-autorace), which kcovtrace race runs.
 */
#include <fcntl.h>
#include <unistd.h>

#define OBJ "/sys/kernel/debug/kcov_lab/obj"

static int reader = -1, freer = -1;

void test_setup(void)
{
	int fd = open(OBJ, O_WRONLY);

	if (fd >= 0) {
		(void)!write(fd, "new", 3);
		close(fd);
	}
	reader = open(OBJ, O_RDONLY);
	freer = open(OBJ, O_WRONLY);
}

void test_thread1(void)
{
	char buf[32];

	(void)!pread(reader, buf, sizeof(buf), 0);
}

void test_thread2(void)
{
	(void)!write(freer, "free", 4);
}

void test_end(void)
{
	close(reader);
	close(freer);
}
