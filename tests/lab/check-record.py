#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks what kcovtrace record wrote in the lab guest.

    check-record.py CHECK OUTPUT

OUTPUT is what one guest run printed: kcov_tasks' lines ("kcov_tasks: ROLE
pid=P tid=T ppid=PP comm=C syscall=NAME"), kcovtrace record --verbose's
lines on stderr ("kcovtrace: stream N: KIND ... tid=T pid=P ppid=PP
comm=C mode=M records=R") and its summary, a line "exit N" with record's
exit status, then kcovtrace replay --no-blocks of the trace (a "# TITLE"
heading per stream).  CHECK is one of the checks below.  Prints a line per
test, "ok NAME" or "not ok NAME" followed by "# " diagnostics.

What a task stream is expected to hold: the task's own work from its start
to its exit, balanced (no frame entered before the stream), but for the
frames of its exit, which never return: the stream ends with frames still
running, the outermost do_exit() (a thread's exit()) or do_group_exit()
(exit_group()), and nothing else is left running.  A task stream that ends
at an exec, and an exec stream (from the entry of __x64_sys_execve to its
exit), are balanced all through.  A --syscalls stream starts at the
syscall's entry frame and is balanced, but for exit() and exit_group(),
whose frames never return.
"""
import re
import sys

# A syscall's entry point.  With IA32_EMULATION, the 64-bit and 32-bit
# stubs of a syscall without arguments (getppid) are one function with two
# names, and the symbols may give either.
SYS_PREFIX = r"__(x64|ia32)_sys_"

# The outermost frames of an exit: exit(), exit_group(), or a fatal signal
# found on the way back to user mode.
EXIT_FRAMES = ("do_exit", "do_group_exit", "arch_do_signal_or_restart")


class Results:
    def __init__(self):
        self.failed = 0

    def check(self, cond, name, *diag):
        print(("ok " if cond else "not ok ") + name)
        if not cond:
            self.failed += 1
            for d in diag:
                for line in str(d).splitlines()[:40]:
                    print("# " + line)


def kv(text):
    return dict(m.groups() for m in re.finditer(r"(\w+)=(\S+)", text))


class Output:
    def __init__(self, text):
        self.text = text
        self.tasks = {}          # role -> fields
        self.described = []      # record --verbose: (index, kind, what, fields)
        written = []             # the same in the order written
        self.summary = None
        self.exit = None
        self.streams = []        # (title, [lines])
        self.numbered = {}       # stream number -> (title, [lines])
        in_replay = False
        for line in text.splitlines():
            m = re.match(r"^kcov_tasks: (\w+) (pid=.*)$", line)
            if m and not in_replay:
                self.tasks[m.group(1)] = kv(m.group(2))
                continue
            m = re.match(r"^kcovtrace: stream: (\w+)(.*)$", line)
            if m and not in_replay:
                written.append((m.group(1), m.group(2), kv(m.group(2))))
                continue
            m = re.match(r"^kcovtrace: \S+: (\d+) streams?, (\d+) records?, (\d+) tasks?(.*)$", line)
            if m and not in_replay:
                self.summary = m
                continue
            m = re.match(r"^exit (\d+)$", line)
            if m and not in_replay:
                self.exit = int(m.group(1))
                in_replay = True
                continue
            # What replay says after its output of what the trace had
            # wrong (frames the decoder completed, say) is no stream's.
            if in_replay and line.startswith("kcovtrace: warning: "):
                continue
            if in_replay and line.startswith("# "):
                self.streams.append((line[2:], []))
                m = re.match(r"^stream (\d+)", line[2:])
                if m:
                    self.numbered[int(m.group(1))] = self.streams[-1]
            elif in_replay and self.streams and line.strip():
                self.streams[-1][1].append(line)
        # record writes a stream when it ends; readers number them in
        # the order they started, seq (then as written: sorted() keeps
        # that order among equals).
        started = sorted(written, key=lambda w: int(w[2]["seq"]))
        self.described = [(i,) + w for i, w in enumerate(started)]

    def stream(self, i):
        # By its number: replay gives no heading to a stream it shows
        # nothing of.
        return self.numbered.get(i, ("(missing)", []))


# A syscall stream's heading: name, number, task.
SYSCALL_TITLE = r"^stream \d+: syscall (\w+) \((\d+)\)(?: args [^:]*)?: task (\d+) "


def depth(line):
    return (len(line) - len(line.lstrip(" "))) // 2


def func(line):
    m = re.match(r"^\s*(?:ENTER|EXIT|BB)\s+([^+\s]+)", line)
    return m.group(1) if m else None


def problems(lines, allow_exit_chain):
    """What is unbalanced in a stream's replay: frames entered before it,
    and frames still running at its end (unless they are an exit's)."""
    found = [l for l in lines if "[unknown caller]" in l]
    running = [i for i, l in enumerate(lines) if "[still running" in l]
    if running:
        tail = lines[running[0]:]
        ok = (allow_exit_chain and all("[still running" in l for l in tail)
              and depth(tail[-1]) == 0 and func(tail[-1]) in EXIT_FRAMES)
        if not ok:
            found += tail
    return found


def syscall_entered(lines, name):
    """Whether the stream enters the syscall's function at its top level."""
    return any(depth(l) == 0 and re.match(r"^ENTER %s%s\+" % (SYS_PREFIX, name), l) for l in lines)


def check_tasks(r, out, label, exec_child=True):
    r.check(out.exit == 0 and len(out.tasks) == 7,
            "%s: the command ran and exited with 0 (%d tasks reported)" % (label, len(out.tasks)),
            "exit %s" % out.exit, out.text[-3000:])
    if not out.tasks:
        return
    titles = [t for t, _ in out.streams]
    r.check(out.summary is not None and int(out.summary.group(1)) == len(out.streams) == len(out.described)
            and int(out.summary.group(2)) == sum(int(d[3]["records"]) for d in out.described)
            and int(out.summary.group(3)) == 7,
            "%s: the summary line counts the streams, records and 7 tasks" % label,
            out.summary.group(0) if out.summary else "no summary", "\n".join(titles))
    main = out.tasks["main"]
    for role, t in sorted(out.tasks.items()):
        tid = t["tid"]
        mine = [(i, kind, f) for i, kind, _, f in out.described if f.get("tid") == tid]
        task_streams = [(i, f) for i, kind, f in mine if kind == "task"]
        last = task_streams[-1] if task_streams else None
        if not last:
            r.check(False, "%s: %s (tid %s) has a task stream" % (label, role, tid), "\n".join(titles))
            continue
        i, f = last
        title, lines = out.stream(i)
        r.check(f["pid"] == t["pid"] and f["ppid"] == t["ppid"] and f["comm"] == t["comm"]
                and re.match(r"^stream %d: task %s \(pid %s[,)]" % (i, tid, t["pid"]), title),
                "%s: %s's stream has its pid, tid, parent and comm (%s)" % (label, role, t["comm"]),
                "expected %s" % t, "got %s" % f, "title: " + title)
        ok = any(syscall_entered(out.stream(j)[1], t["syscall"]) for j, _ in task_streams)
        others = [j for j, kind, _, f in out.described
                  if f.get("tid") != tid and syscall_entered(out.stream(j)[1], t["syscall"])]
        r.check(ok and not others,
                "%s: %s's stream, and no other, enters __x64_sys_%s" % (label, role, t["syscall"]),
                "other streams: %s" % others)
        bad = []
        for j, _ in task_streams:
            bad += problems(out.stream(j)[1], allow_exit_chain=(j == i))
        r.check(not bad, "%s: %s's task streams are balanced, but for the frames of its exit"
                % (label, role), *bad[:20])
    # Execs: the command's, and the second child's.
    execs = [(i, f) for i, kind, what, f in out.described if kind == "exec"]
    want = {main["tid"]} | ({out.tasks["child1"]["tid"]} if exec_child else set())
    r.check(sorted(f["tid"] for _, f in execs) == sorted(want),
            "%s: each exec is a stream of its own (%d)" % (label, len(execs)), "\n".join(titles))
    for i, f in execs:
        lines = out.stream(i)[1]
        r.check(lines and re.match(r"^ENTER __x64_sys_execve\+", lines[0])
                and re.match(r"^EXIT  __x64_sys_execve\+", lines[-1])
                and not problems(lines, allow_exit_chain=False),
                "%s: task %s's exec stream runs from __x64_sys_execve's entry to its exit, balanced"
                % (label, f["tid"]), *(lines[:5] + ["..."] + lines[-5:]))


def check_no_follow(r, out):
    r.check(out.exit == 0 and len(out.tasks) == 7, "--no-follow: the command ran as before",
            "exit %s" % out.exit)
    if not out.tasks:
        return
    main = out.tasks["main"]
    tids = sorted(set(f.get("tid") for _, _, _, f in out.described))
    kinds = [k for _, k, _, _ in out.described]
    r.check(tids == [main["tid"]] and kinds == ["exec", "task"]
            and out.summary and out.summary.group(3) == "1",
            "--no-follow: only the main task is traced, an exec and a task stream",
            "tids %s kinds %s" % (tids, kinds), out.summary.group(0) if out.summary else "")
    r.check(syscall_entered(out.stream(1)[1], "getppid")
            and not any(syscall_entered(out.stream(i)[1], t["syscall"])
                        for i in out.numbered
                        for role, t in out.tasks.items() if role != "main"),
            "--no-follow: the main task's syscall is there, none of the others'")


# What an interrupt does in the task's context on its way out (7.3 rearms
# deferred hrtimers there; a preemption there runs the scheduler, which is
# not instrumented, but the clock and capacity it reads are: the same list
# as the filter checks' in tests/lab/run): whole frames of it may come
# before the syscall's entry, where it hit.  (Without symbols, record keeps
# every top-level frame between a syscall's stops.)
IRQ_EXIT_FRAMES = ("__hrtimer_rearm_deferred", "sched_clock", "arch_scale_cpu_capacity")


def first_after_irq_exit(lines):
    """The stream's first line, after whole top-level frames of IRQ_EXIT_FRAMES."""
    i = 0
    while i < len(lines) and depth(lines[i]) == 0 and lines[i].startswith("ENTER ") \
            and func(lines[i]) in IRQ_EXIT_FRAMES:
        j = i + 1
        while j < len(lines) and not (depth(lines[j]) == 0 and lines[j].startswith("EXIT ")):
            j += 1
        if j >= len(lines) or func(lines[j]) != func(lines[i]):
            break
        i = j + 1
    return lines[i] if i < len(lines) else ""


def check_syscalls(r, out, label, names):
    r.check(out.exit == 0, "%s: the command ran" % label, "exit %s" % out.exit)
    bad, unnamed = [], []
    for i, (title, lines) in enumerate(out.streams):
        m = re.match(SYSCALL_TITLE, title)
        if not m:
            unnamed.append(title)
            continue
        name = m.group(1)
        first = first_after_irq_exit(lines)
        never_returns = name in ("exit", "exit_group")
        if never_returns:
            starts = depth(first) == 0 and func(first) in EXIT_FRAMES
        elif names:
            starts = depth(first) == 0 and first.startswith("ENTER ") and re.match(SYS_PREFIX + name + "$", func(first))
        else:
            starts = depth(first) == 0 and first.startswith("ENTER ") and re.match(SYS_PREFIX, func(first))
        p = problems(lines, allow_exit_chain=never_returns)
        if not starts or p:
            bad.append("%s: starts %s; %s" % (title, first, p[:3]))
    r.check(out.streams and not unnamed and not bad,
            "%s: every stream (%d) starts at its syscall's entry frame and is balanced"
            % (label, len(out.streams)), *(unnamed + bad)[:20])
    if names:
        got = {}
        for title, lines in out.streams:
            m = re.match(SYSCALL_TITLE, title)
            if m:
                got.setdefault(m.group(1), set()).add(m.group(3))
        want = {t["syscall"]: {t["tid"]} for t in out.tasks.values()}
        r.check(want and got == want, "%s: each task's own syscall is a stream of that task" % label,
                "want %s" % want, "got %s" % got)
        r.check(out.summary is not None and out.summary.group(4) == ", %d syscall%s matched"
                % (len(want), "" if len(want) == 1 else "s"),
                "%s: the summary line counts the syscalls matched" % label,
                out.summary.group(0) if out.summary else "no summary")


def check_thread_exec(r, out):
    """A thread that execs takes over its leader's tid: its streams before
    the exec keep its own."""
    label = "a thread that execs"
    t, e = out.tasks.get("thread"), out.tasks.get("execed")
    r.check(out.exit == 0 and t and e, "%s: the command ran" % label, "exit %s" % out.exit,
            out.text[-2000:])
    if not (t and e):
        return
    d = [(i, kind, f) for i, kind, _, f in out.described]
    before = [i for i, kind, f in d if kind == "task" and f["tid"] == t["tid"]]
    r.check(len(before) == 1 and t["tid"] != t["pid"]
            and syscall_entered(out.stream(before[0])[1], "getuid")
            and not problems(out.stream(before[0])[1], allow_exit_chain=False),
            "%s: its stream before the exec has its own tid and syscall, balanced" % label,
            "streams %s" % d)
    execs = [i for i, kind, f in d if kind == "exec" and f["tid"] == t["pid"]]
    r.check(len(execs) == 2 and not problems(out.stream(execs[1])[1], allow_exit_chain=False),
            "%s: its exec is a balanced stream of the leader's tid" % label, "streams %s" % d)
    after = [i for i, kind, f in d if kind == "task" and f["tid"] == e["tid"] and f["comm"] == "exe"]
    r.check(len(after) == 1 and e["tid"] == t["pid"] and syscall_entered(out.stream(after[0])[1], "getpgid")
            and not problems(out.stream(after[0])[1], allow_exit_chain=True),
            "%s: after it, the program's stream has the leader's tid, comm exe" % label,
            "streams %s" % d)
    leader = [i for i, kind, f in d if kind == "task" and f["tid"] == t["pid"] and f["comm"] != "exe"]
    r.check(len(leader) == 1 and not problems(out.stream(leader[0])[1], allow_exit_chain=True),
            "%s: the leader it replaced has its stream, killed in its exit's frames" % label,
            "streams %s" % d, *out.stream(leader[0])[1][-6:] if leader else [])
    r.check(out.summary is not None and out.summary.group(3) == "2",
            "%s: two tasks" % label, out.summary.group(0) if out.summary else "no summary")


def check_remote(r, out):
    r.check(out.exit == 0, "--remote: the command ran", "exit %s" % out.exit, out.text[-2000:])
    sections = [(t, l) for t, l in out.streams if "remote section" in t]
    shapes = []
    for title, lines in sections:
        chain = sum(1 for l in lines if re.match(r"^ *ENTER kcov_lab_chain\+", l))
        # The section's frame, kcov_remote_start's own, opens and closes
        # the stream (where it began is its first block, which --no-blocks
        # leaves out; lab/guest/kcov_ext_test.c checks that).
        framed = bool(lines) and all(re.match(r"^(ENTER|EXIT) +kcov_remote_start\+0x0$", l)
                                     for l in (lines[0], lines[-1]))
        shapes.append((framed, chain, not problems(lines, False)))
    want = [(True, 5, True)] * 2 + [(True, 3, True)] * 2
    r.check(sorted(shapes) == sorted(want),
            "--remote: two kernel-thread and two softirq sections, each a balanced stream of its own "
            "framed by kcov_remote_start",
            "got %s" % shapes, *[t for t, _ in out.streams])
    r.check(out.summary is not None and out.summary.group(4) == ", 4 remote sections",
            "--remote: the summary line counts the sections", out.summary.group(0) if out.summary else "")


def main():
    what, path = sys.argv[1], sys.argv[2]
    out = Output(open(path, errors="replace").read())
    r = Results()
    if what == "tasks":
        check_tasks(r, out, "record")
    elif what == "tasks-dynamic":
        check_tasks(r, out, "record, dynamic executable")
    elif what == "no-follow":
        check_no_follow(r, out)
    elif what == "syscalls":
        check_syscalls(r, out, "--syscalls of each task", True)
    elif what == "syscalls-all":
        check_syscalls(r, out, "--syscalls all", False)
    elif what == "syscalls-all-nosyms":
        check_syscalls(r, out, "--syscalls all, no kallsyms", False)
    elif what == "thread-exec":
        check_thread_exec(r, out)
    elif what == "remote":
        check_remote(r, out)
    else:
        sys.exit("unknown check " + what)


if __name__ == "__main__":
    main()
