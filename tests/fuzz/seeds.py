#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Writes the fuzzer's seed inputs, one per parser, into the directory given."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import kcovformat as kf  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

ENTRY, EXIT, NORMAL = kf.RECORD_TYPE_ENTRY, kf.RECORD_TYPE_EXIT, kf.RECORD_TYPE_NORMAL
EESUM = kf.eesum_record
pc = kf.pc_bits(0xffffffff81001000)
# A frame returned and another entered while untraced: pop one, push one.
records = [ENTRY | pc, NORMAL | (pc + 8), ENTRY | (pc + 0x100), EESUM(0, -1),
           EXIT | (pc + 0x120), EXIT | (pc + 0x20)]
# The EESUM records that restart the tree: saturated, then malformed.
saturated = [ENTRY | pc, EESUM(kf.EESUM_CLAMP_MAX, 0), EXIT | (pc + 0x20), NORMAL | (pc + 8),
             EESUM(kf.EESUM_CLAMP_MIN, kf.EESUM_CLAMP_MIN), EXIT | (pc + 0x20),
             EESUM(3, kf.EESUM_CLAMP_MIN), EESUM(2, -1)]
malformed = [ENTRY | pc, EESUM(3, 1), EXIT | (pc + 0x20), EESUM(-3, -1), ENTRY | pc,
             EESUM(1, -2)]


def pack(recs):
    return b"".join(struct.pack("<Q", r) for r in recs)


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def trace(*streams, notes=(), kernel_id=None):
    return kf.trace_bytes(
        [({"kind": kf.STREAM_KIND_SYSCALL, "syscall": 39, "seq": i, "pid": 42, "tid": 42,
           "mode": kf.MODE_TRACE_PC_EXT, "comm": b"fuzz", "flags": kf.STREAM_F_ARGS,
           "args": [1, 2, 3, 4, 5, 6]}, recs) for i, recs in enumerate(streams)],
        notes=notes, kernel_id=kernel_id, buffer_words=512, pc_fill=kf.PC_FILL_KERNEL,
        kernel_release=b"6.12.0")


# The first byte: the parser (% 4), the batch size the decoder is driven
# with (/ 4 % 4: 1, 3, 64 or 256 events), and for records, whether the record
# filter takes them (bit 4) and its depth limit (/ 32).
for batch in range(4):
    write("records-%d" % batch, bytes([batch * 4]) + pack(records))
write("records-saturated", b"\x00" + pack(saturated))
# The record filter: suppression only (0x10), then with max_depth 2 (0x50).
write("filter", b"\x10" + pack(records + saturated))
write("filter-depth", b"\x50" + pack(records + malformed))
write("records-malformed", b"\x04" + pack(malformed))
write("raw-buffer", b"\x01" + struct.pack("<Q", len(records)) + pack(records))
write("trace-file", b"\x01" + trace(records))
write("trace-file-saturated", b"\x0d" + trace(saturated + malformed, records))
full = trace(records, saturated, notes=[("filter.functions", "do_*"), ("x", "")],
             kernel_id=(kf.KERNEL_ID_SYMBOLS, bytes(range(32))))
write("trace-file-notes", b"\x09" + full)
# Cut inside the second stream's records, and inside its header.
write("trace-file-cut", b"\x05" + full[:-3 * 8])
write("trace-file-cut-header", b"\x01" + full[:-(len(saturated) * 8 + 40)])
# Cut after two empty streams of an older writer's smallest header, of the
# three its header claims: just the room for the two.
MIN = kf.DISK_STREAM_MIN_SIZE
write("trace-file-cut-smallest-streams", b"\x01" + kf.TRACE.pack(
    magic=kf.TRACE_MAGIC.encode(), version=kf.TRACE_VERSION, header_size=kf.TRACE.size,
    fixed_size=kf.TRACE.size, mode=kf.MODE_TRACE_PC_EXT, nr_streams=3,
    file_size=kf.TRACE.size + 3 * MIN) + 2 * struct.pack("=IIQ", MIN, kf.STREAM_KIND_TASK, 0))
# KCOV_TRACE_MEMORY_ACCESS (bit 7; bit 5: records of 6 words, else 5): an
# ENTRY pair, a MEMORY record, a WAIT, a WAKE, an EXIT, and a MEMORY record
# cut off; then as a trace file's stream of records of 6 words.
MEMORY, WAIT, WAKE = (kind << kf.RECORD_TYPE_SHIFT for kind in
                      (kf.RECORD_KIND_MEMORY, kf.RECORD_KIND_WAIT, kf.RECORD_KIND_WAKE))
mem5 = [ENTRY | pc, 0xffffffff81234567, MEMORY | (pc + 8), 0xffff888000001000,
        kf.ACCESS_F_WRITE << 32 | 8, 1000, 0x2a, WAIT | kf.WAIT_TIMEOUT | 3, WAKE | 3,
        EXIT | (pc + 0x20), MEMORY | (pc + 0x10), 0x1000]
write("records-memory", b"\x80" + pack(mem5))
mem6 = [ENTRY | pc, 0xffffffff81234567, MEMORY | (pc + 8), 0xffff888000001000, 4, 1, 0,
        EXIT | 0x99, EXIT | (pc + 0x20)]
write("records-memory-6", b"\xa0" + pack(mem6))
write("trace-file-memory", b"\x01" + kf.trace_bytes(
    [({"kind": kf.STREAM_KIND_TASK, "mode": kf.MODE_TRACE_MEMORY_ACCESS,
       "memory_record_words": 6}, mem6)], mode=kf.MODE_TRACE_MEMORY_ACCESS, buffer_words=512,
    pc_fill=kf.PC_FILL_KERNEL))
# The writer: streams of the input's words.
write("writer", b"\x03\x03\x11" + pack(records + saturated + malformed))
write("writer-abort", b"\x03\x01\x80" + pack(records))
write("kallsyms", b"\x02" + b"ffffffffa1000000 T _text\n"
      b"ffffffffa1001000 T do_one\nffffffffa1002000 t helper\t[mod]\n"
      b"ffffffffa1003000 D data\n")
# GCC's .cold parts, whose frames the symbolizer resolves by name.
write("kallsyms-cold", b"\x02" + b"ffffffff81000000 T _text\n"
      b"ffffffff81001000 T do_one\nffffffff81002000 t do_one.cold\n"
      b"ffffffff81003000 t helper.part.0\t[mod]\nffffffff81003800 t helper.part.0.cold.3\t[mod]\n"
      b"ffffffff81003c00 t .cold\nffffffff81003d00 t x.cold.\nffffffff81003e00 t orphan.cold\n")
