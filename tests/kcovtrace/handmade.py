#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A small trace and symbol files made by hand, for the tests of info, graph
and the symbol checks: handmade.py DIR writes into DIR

  made.trace      four streams of a made-up kernel (a task, its exec, a
                  syscall of another thread, a remote section), with the
                  identity of made.map
  made-full.trace made.trace, with the syscall's buffer full
  made.map        that kernel's System.map
  made.kallsyms   its /proc/kallsyms at a KASLR offset of 0x2000000, with a
                  module
  nomod.kallsyms  made.kallsyms without its module
  percpu.kallsyms nomod.kallsyms with the absolute per-cpu symbols at 0 that
                  kallsyms of an SMP x86-64 kernel lists
  cut.map         made.map's functions cut short after middle
  above.trace     a call at a PC above every function of made.map (a module's)
  user.trace      a user program's trace (KCT_TRACE_F_USER, no PC fill)
  other.map       a System.map of another kernel (a function moved)
  noid.trace      made.trace without a kernel identity
  mismatch.trace  stream 0 of made.trace and a call that returns in another
                  function than it entered
  eesum.trace     frames that EESUM records push
  cold.map        made.map with middle.cold, the part of middle() GCC's
                  hot/cold partitioning moves apart (run in middle's frame)
  exit.map        made.map with do_group_exit and do_exit
  exit.trace      a task stream that ends in do_group_exit and do_exit, as
                  an exiting task's does, and one that ends in middle
  cold.trace      records of middle in middle.cold: a block and an exit,
                  and a frame open before its stream began
  empty.trace     no streams (what record --syscalls of no call writes)
  hollow.trace    streams of no records between others: stream 0 of
                  made.trace, an empty syscall of its task, task 101's
                  call of leaf, an empty stream of task 102
  blank.trace     two streams, of no records

The identity is computed here from what lib/kernelid.c's comment says it is
(SHA-256 of each text symbol's offset from _text and name, sorted), not
taken from the library.
"""
import hashlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import kcovformat as kf  # noqa: E402

TEXT = 0xffffffff81000000
KASLR = 0x2000000
# name: offset from _text; each function is 0x100 bytes long
FUNCS = [("outer", 0x1000), ("middle", 0x1100), ("leaf", 0x1200), ("other", 0x1300),
         ("last_fn", 0x1400)]
# middle.cold: a symbol of its own, the frame middle's; zz_end ends it.
COLD_FUNCS = FUNCS + [("middle.cold", 0x1500), ("zz_end", 0x1600)]
# The way out of an exiting task, which never returns.
EXIT_FUNCS = FUNCS + [("do_group_exit", 0x1700), ("do_exit", 0x1800), ("zz_end", 0x1900)]
ADDR = dict({name: TEXT + off for name, off in EXIT_FUNCS},
            **{name: TEXT + off for name, off in COLD_FUNCS})


def symbols(funcs, base, absolute=True):
    lines = ["%016x T _text" % base, "%016x D some_data" % (base + 0x800000)]
    # nm lists absolute symbols (x86 has this one), kallsyms does not
    if absolute:
        lines.insert(0, "0000000001000000 A phys_startup_64")
    lines += ["%016x T %s" % (base + off, name) for name, off in funcs]
    return lines


def identity(funcs):
    syms = sorted([(0, "_text")] + [(off, name) for name, off in funcs])
    return hashlib.sha256(b"".join(b"%016x %s\0" % (off, name.encode())
                                   for off, name in syms)).digest()


def rec(kind, fn, off):
    return (kind << 60) | ((ADDR[fn] + off) & kf.RECORD_IP_MASK)


def E(fn):
    return rec(kf.RECORD_KIND_ENTRY, fn, 0x10)


def X(fn):
    return rec(kf.RECORD_KIND_EXIT, fn, 0x30)


def B(fn):
    return rec(kf.RECORD_KIND_NORMAL, fn, 0x20)


# Stream 0: outer calls middle (which calls leaf), middle again, then leaf.
S0 = [E("outer"), B("outer"), E("middle"), E("leaf"), X("leaf"), X("middle"),
      E("middle"), X("middle"), E("leaf"), X("leaf"), X("outer")]
# Stream 2: middle calls leaf twice.
S2 = [E("middle"), E("leaf"), B("leaf"), X("leaf"), E("leaf"), X("leaf"), X("middle")]


def main():
    out = sys.argv[1]
    streams = [
        (dict(kind=kf.STREAM_KIND_TASK, seq=0, pid=100, tid=100, ppid=1, comm=b"sh",
              mode=kf.MODE_TRACE_PC_EXT, syscall=-1), S0),
        (dict(kind=kf.STREAM_KIND_EXEC, seq=1, pid=100, tid=100, ppid=1, comm=b"sh",
              mode=kf.MODE_TRACE_PC_EXT, syscall=59), [E("leaf"), X("leaf")]),
        (dict(kind=kf.STREAM_KIND_SYSCALL, seq=2, pid=100, tid=101, ppid=1, comm=b"worker",
              mode=kf.MODE_TRACE_PC_EXT, syscall=0), S2),
        (dict(kind=kf.STREAM_KIND_REMOTE, seq=3, mode=kf.MODE_TRACE_PC_EXT, syscall=-1,
              remote_handle=0x1234), [E("outer"), X("outer")]),
    ]
    header = dict(buffer_words=4096, pc_fill=kf.PC_FILL_KERNEL, kernel_release=b"6.12.0-made")
    notes = [("lab", "ext"), ("x.y", "a=b")]
    kernel_id = (kf.KERNEL_ID_SYMBOLS, identity(FUNCS))
    with open(os.path.join(out, "made.trace"), "wb") as f:
        f.write(kf.trace_bytes(streams, notes=notes, kernel_id=kernel_id, **header))
    # The syscall's buffer filled up.
    streams[2][0].update(flags=kf.STREAM_F_OVERFLOW, lost=0xffffffffffffffff)
    with open(os.path.join(out, "made-full.trace"), "wb") as f:
        f.write(kf.trace_bytes(streams, notes=notes, kernel_id=kernel_id,
                               flags=kf.TRACE_F_OVERFLOW, **header))
    streams[2][0].update(flags=0, lost=0)
    with open(os.path.join(out, "noid.trace"), "wb") as f:
        f.write(kf.trace_bytes(streams, **header))
    with open(os.path.join(out, "made.map"), "w") as f:
        f.write("\n".join(symbols(FUNCS, TEXT)) + "\n")
    kallsyms = "\n".join(symbols(FUNCS, TEXT + KASLR, absolute=False)) + "\n"
    with open(os.path.join(out, "made.kallsyms"), "w") as f:
        f.write(kallsyms + "%016x t mod_fn\t[made_mod]\n" % (TEXT + KASLR + 0x40000000))
    with open(os.path.join(out, "nomod.kallsyms"), "w") as f:
        f.write(kallsyms)
    with open(os.path.join(out, "percpu.kallsyms"), "w") as f:
        f.write("0000000000000000 A fixed_percpu_data\n0000000000001000 A cpu_debug_store\n"
                + kallsyms)
    with open(os.path.join(out, "cut.map"), "w") as f:
        f.write("".join("%016x T %s\n" % (TEXT + off, name) for name, off in FUNCS[:2]))
    with open(os.path.join(out, "user.trace"), "wb") as f:
        f.write(kf.trace_bytes([(dict(kind=kf.STREAM_KIND_TASK, pid=7, tid=7),
                                 [(kf.RECORD_KIND_ENTRY << 60) | 0x401010,
                                  (kf.RECORD_KIND_EXIT << 60) | 0x401030])],
                               buffer_words=4096, pc_fill=0, flags=kf.TRACE_F_USER))
    module_pc = 0xffffffffa0000010
    with open(os.path.join(out, "above.trace"), "wb") as f:
        f.write(kf.trace_bytes([(dict(kind=kf.STREAM_KIND_TASK, pid=7, tid=7),
                                 [E("outer"), (kf.RECORD_KIND_ENTRY << 60) |
                                  (module_pc & kf.RECORD_IP_MASK),
                                  (kf.RECORD_KIND_EXIT << 60) | ((module_pc + 0x20) & kf.RECORD_IP_MASK),
                                  X("outer")])],
                               kernel_id=(kf.KERNEL_ID_SYMBOLS, identity(FUNCS)), **header))
    # Frames an EESUM record pushed: one its exit record names (middle),
    # one an EESUM record pops again (no function known).
    with open(os.path.join(out, "eesum.trace"), "wb") as f:
        f.write(kf.trace_bytes([(dict(kind=kf.STREAM_KIND_TASK, pid=7, tid=7),
                                 [E("outer"), kf.eesum_record(1, 0), B("middle"), X("middle"),
                                  kf.eesum_record(1, 0), kf.eesum_record(-1, -1),
                                  X("outer")])],
                               kernel_id=(kf.KERNEL_ID_SYMBOLS, identity(FUNCS)), **header))
    # other's call returns in leaf: what a wrong System.map would show
    with open(os.path.join(out, "mismatch.trace"), "wb") as f:
        f.write(kf.trace_bytes([(dict(kind=kf.STREAM_KIND_TASK, pid=7, tid=7), S0),
                                (dict(kind=kf.STREAM_KIND_TASK, pid=7, tid=7),
                                 [E("other"), X("leaf")])],
                               kernel_id=(kf.KERNEL_ID_SYMBOLS, identity(FUNCS)), **header))
    with open(os.path.join(out, "exit.map"), "w") as f:
        f.write("\n".join(symbols(EXIT_FUNCS, TEXT)) + "\n")
    with open(os.path.join(out, "exit.trace"), "wb") as f:
        f.write(kf.trace_bytes([(dict(kind=kf.STREAM_KIND_TASK, pid=7, tid=7),
                                 [E("outer"), X("outer"), E("do_group_exit"), B("do_group_exit"),
                                  E("do_exit"), B("do_exit")]),
                                (dict(kind=kf.STREAM_KIND_TASK, pid=8, tid=8),
                                 [E("outer"), X("outer"), E("middle"), B("middle")])],
                               kernel_id=(kf.KERNEL_ID_SYMBOLS, identity(EXIT_FUNCS)),
                               **header))
    with open(os.path.join(out, "cold.map"), "w") as f:
        f.write("\n".join(symbols(COLD_FUNCS, TEXT)) + "\n")
    # Stream 0: outer calls middle, which runs a block in middle.cold,
    # calls leaf and returns from middle.cold.  Stream 1 begins in
    # middle.cold, in a frame of middle entered before it.
    with open(os.path.join(out, "cold.trace"), "wb") as f:
        f.write(kf.trace_bytes([(dict(kind=kf.STREAM_KIND_TASK, pid=7, tid=7),
                                 [E("outer"), B("outer"), E("middle"), B("middle.cold"),
                                  E("leaf"), X("leaf"), X("middle.cold"), X("outer")]),
                                (dict(kind=kf.STREAM_KIND_TASK, pid=8, tid=8),
                                 [B("middle.cold"), E("leaf"), X("leaf"), X("middle.cold")])],
                               kernel_id=(kf.KERNEL_ID_SYMBOLS, identity(COLD_FUNCS)),
                               **header))
    made_id = (kf.KERNEL_ID_SYMBOLS, identity(FUNCS))
    with open(os.path.join(out, "empty.trace"), "wb") as f:
        f.write(kf.trace_bytes([], kernel_id=made_id, **header))
    with open(os.path.join(out, "hollow.trace"), "wb") as f:
        f.write(kf.trace_bytes([(streams[0][0], S0),
                                (dict(kind=kf.STREAM_KIND_SYSCALL, seq=1, pid=100, tid=100,
                                      ppid=1, comm=b"sh", mode=kf.MODE_TRACE_PC_EXT,
                                      syscall=0), []),
                                (dict(kind=kf.STREAM_KIND_TASK, seq=2, pid=100, tid=101,
                                      ppid=1, comm=b"worker", mode=kf.MODE_TRACE_PC_EXT,
                                      syscall=-1), [E("leaf"), X("leaf")]),
                                (dict(kind=kf.STREAM_KIND_TASK, seq=3, pid=102, tid=102,
                                      ppid=100, comm=b"idle", mode=kf.MODE_TRACE_PC_EXT,
                                      syscall=-1), [])],
                               kernel_id=made_id, **header))
    with open(os.path.join(out, "blank.trace"), "wb") as f:
        f.write(kf.trace_bytes([(dict(kind=kf.STREAM_KIND_TASK, pid=p, tid=p,
                                      mode=kf.MODE_TRACE_PC_EXT, syscall=-1), [])
                                for p in (7, 8)],
                               kernel_id=made_id, **header))
    moved = [(name, off + 0x10 if name == "last_fn" else off) for name, off in FUNCS]
    with open(os.path.join(out, "other.map"), "w") as f:
        f.write("\n".join(symbols(moved, TEXT)) + "\n")


if __name__ == "__main__":
    main()
