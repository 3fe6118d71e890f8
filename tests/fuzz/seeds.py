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


def trace(recs):
    header = struct.pack("<8sIIIIQQQ65s3sI8s", kf.TRACE_MAGIC.encode(), kf.TRACE_VERSION, 128,
                         kf.MODE_TRACE_PC_EXT, 0, 512, len(recs), kf.PC_FILL_KERNEL, b"6.12.0",
                         b"", 1, b"")
    stream = struct.pack("<QiIQQ", len(recs), 39, 0, 0, 0)
    return header + stream + pack(recs)


write("records", b"\x00" + pack(records))
write("records-saturated", b"\x00" + pack(saturated))
write("records-malformed", b"\x00" + pack(malformed))
write("raw-buffer", b"\x01" + struct.pack("<Q", len(records)) + pack(records))
write("trace-file", b"\x01" + trace(records))
write("trace-file-saturated", b"\x01" + trace(saturated + malformed))
write("kallsyms", b"\x02" + b"ffffffffa1000000 T _text\n"
      b"ffffffffa1001000 T do_one\nffffffffa1002000 t helper\t[mod]\n"
      b"ffffffffa1003000 D data\n")
