# SPDX-License-Identifier: GPL-2.0-only
"""The record and trace format, read from the library's headers.

include/kcovtrace.h names the record format and lib/traceformat.h lays out
trace files, and nothing else does: Python cannot include them, so the test
scripts take their integer #defines and enum constants from here, without
the KCT_ prefix (kcovformat.RECORD_IP_MASK), and the on-disk structs as
layouts (kcovformat.STREAM.unpack(data, offset)), and never copy a value.
A struct field this cannot parse is an error, not a guess.  read_trace()
and trace_bytes() read and write whole trace files with them.
"""
import os
import re
import struct

_TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
HEADER = os.path.join(_TOP, "include", "kcovtrace.h")
FORMAT_HEADER = os.path.join(_TOP, "lib", "traceformat.h")

_INT = r"\(?\s*(-?\s*(?:0[xX][0-9a-fA-F]+|\d+))[uUlL]*\s*\)?"
_DEFINE = re.compile(r"^#define\s+KCT_(\w+)\s+" + _INT + r"\s*(?:/\*.*)?$")
_STRING = re.compile(r'^#define\s+KCT_(\w+)\s+"([^"]*)"')
_ENUM = re.compile(r"^\s*KCT_(\w+)\s*=\s*" + _INT + r"\s*,")
_BIT = re.compile(r"^#define\s+KCT_(\w+)\s+\(1u\s*<<\s*(\d+)\)")


def _parse(path):
    consts = {}
    for line in open(path):
        line = line.rstrip("\n")
        m = _DEFINE.match(line) or _ENUM.match(line)
        if m:
            consts[m.group(1)] = int(m.group(2).replace(" ", ""), 0)
            continue
        m = _BIT.match(line)
        if m:
            consts[m.group(1)] = 1 << int(m.group(2))
            continue
        m = _STRING.match(line)
        if m:
            consts[m.group(1)] = m.group(2)
    return consts


globals().update(_parse(HEADER))
globals().update(_parse(FORMAT_HEADER))

_CTYPES = {"char": "s", "uint8_t": "B", "int16_t": "h", "uint16_t": "H", "int32_t": "i",
           "uint32_t": "I", "int64_t": "q", "uint64_t": "Q"}
_STRUCT = re.compile(r"^struct (\w+) \{$")
_FIELD = re.compile(r"^\t(\w+) (\w+)(?:\[(\w+)\])?;")


class Layout:
    """An on-disk struct: native-endian, no padding (the C side asserts
    its size)."""

    def __init__(self, name, fields):
        self.name, self.fields = name, fields
        fmt = "="
        for _, ctype, count in fields:
            fmt += ("%d" % count if count else "") + _CTYPES[ctype]
        self.struct = struct.Struct(fmt)
        self.size = self.struct.size

    def unpack(self, data, off=0, size=None):
        """The fields at off as a dict; of a shorter struct (size), those it
        lacks are missing from the dict."""
        size = self.size if size is None else min(size, self.size)
        values = list(self.struct.unpack(bytes(data[off:off + size]).ljust(self.size, b"\0")))
        out, end = {}, 0
        for name, ctype, count in self.fields:
            width = struct.calcsize("=" + ("%d" % count if count else "") + _CTYPES[ctype])
            end += width
            if ctype == "char" or not count:
                value = values.pop(0)
            else:
                value, values = values[:count], values[count:]
            if end <= size:
                out[name] = value
        return out

    def pack(self, **fields):
        """The struct with these fields, the others zero."""
        values = []
        for name, ctype, count in self.fields:
            value = fields.pop(name, b"" if ctype == "char" else [0] * count if count else 0)
            values.extend(value if count and ctype != "char" else [value])
        if fields:
            raise KeyError("%s has no field %s" % (self.name, ", ".join(fields)))
        return self.struct.pack(*values)


def _layouts(path):
    layouts, name, fields = {}, None, []
    for line in open(path):
        line = line.rstrip("\n")
        m = _STRUCT.match(line)
        if m:
            name, fields = m.group(1), []
        elif name and line == "};":
            layouts[name] = Layout(name, fields)
            name = None
        elif name:
            m = _FIELD.match(line)
            if not m or m.group(1) not in _CTYPES:
                raise ValueError("%s: cannot parse %r in struct %s" % (path, line, name))
            count = m.group(3)
            if count and not count.isdigit():
                count = globals()[count[len("KCT_"):]]
            fields.append((m.group(2), m.group(1), int(count) if count else 0))
    return layouts


_disk = _layouts(FORMAT_HEADER)
TRACE, ITEM, STREAM = _disk["kct_disk_trace"], _disk["kct_disk_item"], _disk["kct_disk_stream"]
assert (TRACE.size, ITEM.size, STREAM.size) == \
    (DISK_TRACE_SIZE, DISK_ITEM_SIZE, DISK_STREAM_SIZE), "lib/traceformat.h sizes"  # noqa: F821


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


def _pad8(data):
    return data + b"\0" * (-len(data) % 8)


def read_trace(path):
    """A trace file or raw kcov buffer: a dict with raw, header (the fixed
    header's fields), kernel_id ((kind, bytes) or None), notes [(key,
    value)], pc_fill, truncated, and streams: a dict each with header (its
    fields), offset (of its first record) and records.  Of a file cut short,
    the streams wholly present and the intact records of the one cut."""
    data = open(path, "rb").read()
    if data[:8] != TRACE_MAGIC.encode() + b"\0":  # noqa: F821
        count = struct.unpack_from("=Q", data, 0)[0]
        return {"raw": True, "header": {}, "kernel_id": None, "notes": [],
                "pc_fill": PC_FILL_KERNEL,  # noqa: F821
                "streams": [{"header": {}, "offset": 8,
                             "records": list(struct.unpack_from("=%dQ" % count, data, 8))}]}
    h = TRACE.unpack(data, 0, struct.unpack_from("=I", data, 16)[0])
    assert h["version"] == TRACE_VERSION, "trace format version %d" % h["version"]  # noqa: F821
    trace = {"raw": False, "header": h, "kernel_id": None, "notes": [], "pc_fill": h["pc_fill"],
             "streams": [], "truncated": len(data) < h["file_size"]}
    off = h["fixed_size"]
    while off < h["header_size"]:
        item = ITEM.unpack(data, off)
        body = data[off + ITEM.size:off + ITEM.size + item["size"]]
        if item["type"] == ITEM_KERNEL_ID:  # noqa: F821
            trace["kernel_id"] = (struct.unpack_from("=I", body)[0], body[4:])
        elif item["type"] == ITEM_NOTE:  # noqa: F821
            key, value, _ = body.split(b"\0", 2)
            trace["notes"].append((key.decode(), value.decode()))
        off += ITEM.size + item["size"] + (-item["size"] % 8)
    off = h["header_size"]
    for _ in range(h["nr_streams"]):
        if len(data) - off < DISK_STREAM_MIN_SIZE:  # noqa: F821
            break
        size = struct.unpack_from("=I", data, off)[0]
        if len(data) - off < size:
            break
        sh = STREAM.unpack(data, off, size)
        off += size
        n = min(sh["records"], (len(data) - off) // 8)
        trace["streams"].append({"header": sh, "offset": off, "records": list(
            struct.unpack_from("=%dQ" % n, data, off))})
        off += 8 * n
        if n < sh["records"]:
            break
    if trace["truncated"]:
        return trace
    assert off == len(data) == h["file_size"], "trace length"
    assert sum(len(s["records"]) for s in trace["streams"]) == h["records"], "record count"
    return trace


def trace_bytes(streams, notes=(), kernel_id=None, **header):
    """A trace file: streams a list of (stream header fields, records),
    notes [(key, value)], kernel_id (kind, bytes), the fixed header's fields
    (mode, flags, buffer_words, pc_fill, kernel_release)."""
    items = b""
    if kernel_id:
        body = struct.pack("=I", kernel_id[0]) + kernel_id[1]
        items += ITEM.pack(type=ITEM_KERNEL_ID, size=len(body)) + _pad8(body)  # noqa: F821
    for key, value in notes:
        body = key.encode() + b"\0" + value.encode() + b"\0"
        items += ITEM.pack(type=ITEM_NOTE, size=len(body)) + _pad8(body)  # noqa: F821
    body = b""
    for fields, records in streams:
        body += STREAM.pack(size=STREAM.size, records=len(records), **fields)
        body += struct.pack("=%dQ" % len(records), *records)
    header_size = TRACE.size + len(items)
    header.setdefault("mode", MODE_TRACE_PC_EXT)  # noqa: F821
    return TRACE.pack(magic=TRACE_MAGIC.encode(), version=TRACE_VERSION,  # noqa: F821
                      header_size=header_size, fixed_size=TRACE.size,
                      nr_streams=len(streams), records=sum(len(r) for _, r in streams),
                      file_size=header_size + len(body), **header) + items + body
