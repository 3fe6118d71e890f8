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


def _s16(field):
    """A 16-bit EESUM field as the signed value it holds."""
    return field - (EESUM_FIELD_MASK + 1) if field > EESUM_CLAMP_MAX else field  # noqa: F821


def eesum_delta(rec):
    return _s16(rec >> EESUM_DELTA_SHIFT & EESUM_FIELD_MASK)  # noqa: F821


def eesum_mindelta(rec):
    return _s16(rec >> EESUM_MINDELTA_SHIFT & EESUM_FIELD_MASK)  # noqa: F821


def eesum_record(delta, mindelta):
    """KCT_EESUM_RECORD(delta, mindelta)."""
    return (RECORD_TYPE_EESUM  # noqa: F821
            | (delta & EESUM_FIELD_MASK) << EESUM_DELTA_SHIFT  # noqa: F821
            | (mindelta & EESUM_FIELD_MASK) << EESUM_MINDELTA_SHIFT)  # noqa: F821


def eesum_unbalanceable(rec):
    """kct_eesum_unbalanceable(): a saturated or malformed EESUM record."""
    delta, mindelta = eesum_delta(rec), eesum_mindelta(rec)
    return (delta in (EESUM_CLAMP_MIN, EESUM_CLAMP_MAX)  # noqa: F821
            or mindelta == EESUM_CLAMP_MIN  # noqa: F821
            or mindelta > 0 or delta < mindelta)
