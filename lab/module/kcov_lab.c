// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcov_lab: an out-of-tree module for the lab's tests.  It gives the lab an
 * in-kernel user of remote coverage, and instrumented code of a module whose
 * functions kallsyms names:
 *
 *   /sys/kernel/debug/kcov_lab/chain    write N: a chain of N frames of this
 *                                       module in the writer's own context
 *   /sys/kernel/debug/kcov_lab/remote   write "task DEPTH COUNT": COUNT remote
 *                                       sections in a kernel thread, with the
 *                                       writer's common handle;
 *                                       write "softirq DEPTH COUNT": COUNT
 *                                       sections in a softirq on the writer,
 *                                       with the handle of USB instance 0x1ab
 *   /sys/kernel/debug/kcov_lab/obj      write "new": an object of value 42;
 *                                       write "free": the object freed;
 *                                       read: the object's value, or ENOENT
 *
 * Each section runs a chain of DEPTH frames.  obj has a race on purpose, for
 * docs/races.md: a read checks that there is an object and then reads its
 * value, holding neither a lock nor a reference, so a "free" between the
 * two makes the read a use-after-free.  The window is a few instructions
 * wide, which two threads almost never hit by chance.  Built with KCOV_INSTRUMENT
 * (see Kbuild), like any module of a kernel with CONFIG_KCOV_INSTRUMENT_ALL.
 */
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/kcov.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

/*
 * The softirq sections' instance: userspace passes the handle
 * kcov_remote_handle(KCOV_SUBSYSTEM_USB, KCOV_LAB_SOFTIRQ_INSTANCE) in
 * handles[], as for a USB bus.
 */
#define KCOV_LAB_SOFTIRQ_INSTANCE	0x1ab
#define KCOV_LAB_MAX_DEPTH	1000

static struct dentry *kcov_lab_dir;

static noinline void kcov_lab_chain(unsigned int n)
{
	if (n > 1)
		kcov_lab_chain(n - 1);
	barrier();
}

struct kcov_lab_work {
	/* u64 in Linux 6.12, struct kcov_common_handle_id in 7.3. */
	typeof(kcov_common_handle()) handle;
	unsigned int depth, count;
	struct completion done;
};

static int kcov_lab_thread(void *arg)
{
	struct kcov_lab_work *work = arg;

	for (unsigned int i = 0; i < work->count; i++) {
		kcov_remote_start_common(work->handle);
		kcov_lab_chain(work->depth);
		barrier();
		kcov_remote_stop();
	}
	complete(&work->done);
	return 0;
}

static unsigned int kcov_lab_softirq_depth;

static void kcov_lab_softirq(struct tasklet_struct *tasklet)
{
	kcov_remote_start_usb_softirq(KCOV_LAB_SOFTIRQ_INSTANCE);
	kcov_lab_chain(READ_ONCE(kcov_lab_softirq_depth));
	barrier();
	kcov_remote_stop_softirq();
}

static DECLARE_TASKLET(kcov_lab_tasklet, kcov_lab_softirq);

static int kcov_lab_remote(const char *kind, unsigned int depth, unsigned int count)
{
	struct kcov_lab_work work = { .depth = depth, .count = count };
	struct task_struct *thread;

	if (!strcmp(kind, "softirq")) {
		WRITE_ONCE(kcov_lab_softirq_depth, depth);
		for (unsigned int i = 0; i < count; i++) {
			/* local_bh_enable() runs the tasklet on this task. */
			local_bh_disable();
			tasklet_schedule(&kcov_lab_tasklet);
			local_bh_enable();
		}
		return 0;
	}
	if (strcmp(kind, "task"))
		return -EINVAL;
	work.handle = kcov_common_handle();
	init_completion(&work.done);
	thread = kthread_run(kcov_lab_thread, &work, "kcov_lab");
	if (IS_ERR(thread))
		return PTR_ERR(thread);
	wait_for_completion(&work.done);
	return 0;
}

static ssize_t kcov_lab_write_remote(struct file *file, const char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	unsigned int depth, count;
	char buf[64], kind[16];
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%15s %u %u", kind, &depth, &count) != 3 ||
	    !depth || depth > KCOV_LAB_MAX_DEPTH)
		return -EINVAL;
	err = kcov_lab_remote(kind, depth, count);
	return err ? err : len;
}

static ssize_t kcov_lab_write_chain(struct file *file, const char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	unsigned int depth;
	int err;

	err = kstrtouint_from_user(ubuf, len, 0, &depth);
	if (err)
		return err;
	if (!depth || depth > KCOV_LAB_MAX_DEPTH)
		return -EINVAL;
	kcov_lab_chain(depth);
	return len;
}

struct kcov_lab_obj {
	unsigned long value;
};

static struct kcov_lab_obj *kcov_lab_obj;
/* Serializes "new" and "free", not the reads: that is the bug. */
static DEFINE_MUTEX(kcov_lab_obj_lock);

static noinline ssize_t kcov_lab_read_obj(struct file *file, char __user *ubuf,
					  size_t len, loff_t *ppos)
{
	struct kcov_lab_obj *obj = READ_ONCE(kcov_lab_obj);
	unsigned long value;
	char buf[32];
	int n;

	if (!obj)
		return -ENOENT;
	/* Nothing keeps obj alive since the check: a "free" may have run. */
	value = obj->value;
	n = scnprintf(buf, sizeof(buf), "%lu\n", value);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static noinline ssize_t kcov_lab_write_obj(struct file *file, const char __user *ubuf,
					   size_t len, loff_t *ppos)
{
	struct kcov_lab_obj *obj;
	char buf[8];
	int err = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	mutex_lock(&kcov_lab_obj_lock);
	obj = kcov_lab_obj;
	if (sysfs_streq(buf, "new")) {
		if (obj) {
			err = -EEXIST;
		} else {
			obj = kzalloc(sizeof(*obj), GFP_KERNEL);
			if (obj) {
				obj->value = 42;
				WRITE_ONCE(kcov_lab_obj, obj);
			} else {
				err = -ENOMEM;
			}
		}
	} else if (sysfs_streq(buf, "free")) {
		if (obj) {
			WRITE_ONCE(kcov_lab_obj, NULL);
			kfree(obj);
		} else {
			err = -ENOENT;
		}
	} else {
		err = -EINVAL;
	}
	mutex_unlock(&kcov_lab_obj_lock);
	return err ? err : len;
}

static const struct file_operations kcov_lab_obj_fops = {
	.read = kcov_lab_read_obj,
	.write = kcov_lab_write_obj,
};

static const struct file_operations kcov_lab_remote_fops = {
	.write = kcov_lab_write_remote,
};

static const struct file_operations kcov_lab_chain_fops = {
	.write = kcov_lab_write_chain,
};

static int __init kcov_lab_init(void)
{
	kcov_lab_dir = debugfs_create_dir("kcov_lab", NULL);
	debugfs_create_file("remote", 0200, kcov_lab_dir, NULL, &kcov_lab_remote_fops);
	debugfs_create_file("chain", 0200, kcov_lab_dir, NULL, &kcov_lab_chain_fops);
	debugfs_create_file("obj", 0600, kcov_lab_dir, NULL, &kcov_lab_obj_fops);
	return 0;
}

static void __exit kcov_lab_exit(void)
{
	debugfs_remove(kcov_lab_dir);
	tasklet_kill(&kcov_lab_tasklet);
	kfree(kcov_lab_obj);
}

module_init(kcov_lab_init);
module_exit(kcov_lab_exit);
MODULE_DESCRIPTION("kcov-ext lab: remote coverage sections, module code to trace, a race");
MODULE_LICENSE("GPL");
