# SPDX-License-Identifier: GPL-2.0-only
"""The record and trace format's constants, read from include/kcovtrace.h.

The header names the format and nothing else does: Python cannot include
it, so the test scripts take its integer #defines and enum constants from
here, without the KCT_ prefix (kcovformat.RECORD_IP_MASK), and never copy a
value.  A header constant this cannot parse is an error, not a guess.
"""
import os
import re

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "include", "kcovtrace.h")

_INT = r"\(?\s*(-?\s*(?:0[xX][0-9a-fA-F]+|\d+))[uUlL]*\s*\)?"
_DEFINE = re.compile(r"^#define\s+KCT_(\w+)\s+" + _INT + r"\s*(?:/\*.*)?$")
_STRING = re.compile(r'^#define\s+KCT_(\w+)\s+"([^"]*)"')
_ENUM = re.compile(r"^\s*KCT_(\w+)\s*=\s*" + _INT + r"\s*,")


def _parse(path):
    consts = {}
    for line in open(path):
        line = line.rstrip("\n")
        m = _DEFINE.match(line) or _ENUM.match(line)
        if m:
            consts[m.group(1)] = int(m.group(2).replace(" ", ""), 0)
            continue
        m = _STRING.match(line)
        if m:
            consts[m.group(1)] = m.group(2)
    return consts


globals().update(_parse(HEADER))


def kind(rec):
    """The record's type: one of the RECORD_KIND_* values, or another."""
    return rec >> RECORD_TYPE_SHIFT  # noqa: F821 (from the header)


def pc_bits(rec):
    return rec & RECORD_IP_MASK  # noqa: F821
