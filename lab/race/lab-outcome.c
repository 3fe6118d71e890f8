// SPDX-License-Identifier: GPL-2.0-only
/*
 * lab-uaf.c's race with an outcome (kcovtrace's test_outcome(), see
 * docs/races.md): what thread 1's read returned.  Run one after the
 * other, it reads the object's value; with the free forced before the
 * check of the object, it finds none (ENOENT): an outcome of its own,
 * without any kernel report.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define OBJ "/sys/kernel/debug/kcov_lab/obj"

static int reader = -1, freer = -1;
static char value[32];
static ssize_t got;
static int err;

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
	got = pread(reader, value, sizeof(value) - 1, 0);
	err = got < 0 ? errno : 0;
}

void test_thread2(void)
{
	(void)!write(freer, "free", 4);
}

int test_outcome(char *buf, size_t len)
{
	if (got < 0)
		return err == ENOENT ? snprintf(buf, len, "read: ENOENT") :
				       snprintf(buf, len, "read: error %d", err);
	value[got] = '\0';
	value[strcspn(value, "\n")] = '\0';
	return snprintf(buf, len, "read: %s", value);
}

void test_end(void)
{
	close(reader);
	close(freer);
}
