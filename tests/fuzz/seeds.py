#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Writes the fuzzer's seed inputs, one per parser, into the directory given."""
import os
import struct
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

ENTRY, EXIT, NORMAL, RESYNC = 0x0, 0x1 << 60, 0xf << 60, 0x2 << 60
pc = 0xffffffff81001000 & 0x00ffffffffffffff
records = [ENTRY | pc, NORMAL | (pc + 8), ENTRY | (pc + 0x100), RESYNC | 1 << 28 | 1,
           EXIT | (pc + 0x120), EXIT | (pc + 0x20)]
words = b"".join(struct.pack("<Q", r) for r in records)


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


write("records", b"\x00" + words)
write("raw-buffer", b"\x01" + struct.pack("<Q", len(records)) + words)
header = struct.pack("<8sIIIIQQQ65s3sI8s", b"KCOVTRC\0", 1, 128, 2, 0, 512,
                     len(records), 0xff << 56, b"6.12.0", b"", 1, b"")
stream = struct.pack("<QiIQQ", len(records), 39, 0, 0, 0)
write("trace-file", b"\x01" + header + stream + words)
write("kallsyms", b"\x02" + b"ffffffffa1000000 T _text\n"
      b"ffffffffa1001000 T do_one\nffffffffa1002000 t helper\t[mod]\n"
      b"ffffffffa1003000 D data\n")
