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

ENTRY, EXIT, NORMAL, RESYNC = (kf.RECORD_TYPE_ENTRY, kf.RECORD_TYPE_EXIT, kf.RECORD_TYPE_NORMAL,
                               kf.RECORD_TYPE_RESYNC)
pc = kf.pc_bits(0xffffffff81001000)
records = [ENTRY | pc, NORMAL | (pc + 8), ENTRY | (pc + 0x100), RESYNC | 1 << 28 | 1,
           EXIT | (pc + 0x120), EXIT | (pc + 0x20)]
words = b"".join(struct.pack("<Q", r) for r in records)


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


write("records", b"\x00" + words)
write("raw-buffer", b"\x01" + struct.pack("<Q", len(records)) + words)
header = struct.pack("<8sIIIIQQQ65s3sI8s", kf.TRACE_MAGIC.encode(), kf.TRACE_VERSION, 128,
                     kf.MODE_TRACE_PC_EXT, 0, 512, len(records), kf.PC_FILL_KERNEL, b"6.12.0",
                     b"", 1, b"")
stream = struct.pack("<QiIQQ", len(records), 39, 0, 0, 0)
write("trace-file", b"\x01" + header + stream + words)
write("kallsyms", b"\x02" + b"ffffffffa1000000 T _text\n"
      b"ffffffffa1001000 T do_one\nffffffffa1002000 t helper\t[mod]\n"
      b"ffffffffa1003000 D data\n")
