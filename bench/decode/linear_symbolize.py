#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The seed's symbolize.py, as a baseline: a linear scan of the symbol list
for every line.  Reads a symbol file (kallsyms or System.map format) named
by its first argument instead of /proc/kallsyms, and lines "... 0xPC" on
stdin, as the seed's kcov-u prints them."""
import sys

syms = []
with open(sys.argv[1]) as f:
    for line in f:
        parts = line.strip().split(' ')
        if len(parts) < 3:
            continue
        syms.append((int(parts[0], 16), parts[2]))

for line in sys.stdin:
    parts = line.rstrip().split('0x')
    if len(parts) != 2:
        continue
    record_pc = int(parts[1], 16)
    for i in range(0, len(syms)-1):
        if syms[i+1][0] > record_pc:
            print(parts[0] + syms[i][1] + '+' + hex(record_pc - syms[i][0]))
            break
