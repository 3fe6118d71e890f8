#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks kcovtrace's outputs against the trace file itself.

    props.py TRACE FORMAT OUTPUT

Reads TRACE with tests/kcovformat.py, a reader of its own written from
the format's description (include/kcovtrace.h, lib/traceformat.h) and not
from libkcovtrace, and checks what must hold of OUTPUT in FORMAT (replay,
report, folded, chrome, pcs, raw).  Prints the first violation and exits 1.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import kcovformat as kf  # noqa: E402

ENTRY, EXIT, EESUM, NORMAL = (kf.RECORD_KIND_ENTRY, kf.RECORD_KIND_EXIT, kf.RECORD_KIND_EESUM,
                              kf.RECORD_KIND_NORMAL)
IP_MASK = kf.RECORD_IP_MASK


def read_trace(path):
    trace = kf.read_trace(path)
    return (trace["pc_fill"], [s["records"] for s in trace["streams"]],
            [s["header"] for s in trace["streams"]])


def fail(msg):
    print("props: " + msg)
    sys.exit(1)


def split(stream):
    """The stream's trees: the runs of records between the EESUM records that
    cannot be balanced, each with the record that ends it (None at the end)."""
    tree = []
    for rec in stream:
        if kf.kind(rec) == EESUM and kf.eesum_unbalanceable(rec):
            yield tree, rec
            tree = []
        else:
            tree.append(rec)
    yield tree, None


def rebuild(stream):
    """The stream's call tree, as the record format describes it: yields
    (kind, depth, record) for each record (kind None for a reserved type),
    and (kind, depth, None) for each frame made up: an ENTER for each level
    a tree's exits and EESUM pops reach below its start, an EXIT for each
    frame still open at its end.  An EESUM record pops -mindelta frames and
    pushes delta - mindelta, which have no line of their own; one that
    cannot be balanced ends the tree, at depth 0 once its frames closed."""
    for tree, end in split(stream):
        depth = low = 0
        for rec in tree:
            t = kf.kind(rec)
            if t == EESUM:
                low = min(low, depth + kf.eesum_mindelta(rec))
                depth += kf.eesum_delta(rec)
            else:
                depth += (t == ENTRY) - (t == EXIT)
            low = min(low, depth)
        for d in range(-low):
            yield "ENTER", d, None
        depth = -low
        for rec in tree:
            t = kf.kind(rec)
            if t == ENTRY:
                yield "ENTER", depth, rec
                depth += 1
            elif t == EXIT:
                depth -= 1
                yield "EXIT", depth, rec
            elif t == NORMAL:
                yield "BB", depth, rec
            elif t == EESUM:
                yield "EESUM", depth, rec
                depth += kf.eesum_delta(rec)
            else:
                yield None, depth, rec
        for d in range(depth - 1, -1, -1):
            yield "EXIT", d, None
        if end is not None:
            yield "EESUM", 0, end


def check_replay(streams, out):
    """The lines of each stream are its records and made-up frames, at their
    depths."""
    lines = [l for l in out.split("\n") if l and not l.startswith("#")]
    want = [(k, d) for s in streams for k, d, _ in rebuild(s) if k]
    got = []
    for l in lines:
        stripped = l.lstrip(" ")
        indent = len(l) - len(stripped)
        if indent % 2:
            fail("odd indentation: %r" % l)
        got.append((stripped.split()[0], indent // 2))
    if len(got) != len(want):
        fail("replay has %d lines, the trace %d records and frames" % (len(got), len(want)))
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            fail("line %d: %s at depth %d, the trace says %s at %d" % (i + 1, g[0], g[1], w[0], w[1]))


def check_raw(streams, pc_fill, out):
    lines = out.split("\n")[:-1]
    recs = [(i, r) for s in streams for i, r in enumerate(s)]
    if len(lines) != len(recs):
        fail("raw has %d lines for %d records" % (len(lines), len(recs)))
    names = {ENTRY: "ENTER", EXIT: "EXIT", NORMAL: "BB", EESUM: "EESUM"}
    for line, (i, rec) in zip(lines, recs):
        f = line.split()
        if int(f[1]) != i or f[2] != names[kf.kind(rec)]:
            fail("raw line %r for record %d %#x" % (line, i, rec))
        if kf.kind(rec) == EESUM:
            delta, mindelta = kf.eesum_delta(rec), kf.eesum_mindelta(rec)
            want = ["delta=%d" % delta, "mindelta=%d" % mindelta]
            if kf.eesum_unbalanceable(rec):
                want.append("malformed" if mindelta > 0 or delta < mindelta else "saturated")
            if f[3:] != want:
                fail("raw line %r: the EESUM record says %s" % (line, " ".join(want)))
        elif int(f[3], 16) != (rec & IP_MASK) | pc_fill:
            fail("raw line %r: wrong pc" % line)


def check_pcs(streams, pc_fill, out):
    want = sorted({(r & IP_MASK) | pc_fill for s in streams for r in s
                   if kf.kind(r) in (ENTRY, NORMAL)})
    got = [int(l, 16) for l in out.split()]
    if got != want:
        fail("pcs: %d PCs, the trace has %d unique entry and block PCs" % (len(got), len(want)))


def check_folded(streams, out):
    # Every record inside a frame counts once: all entries, exits and blocks
    # but blocks at depth 0 (of a tree that starts at its outermost frame).
    total = sum(1 for s in streams for k, d, r in rebuild(s)
                if r is not None and k in ("ENTER", "EXIT", "BB") and not (k == "BB" and d == 0))
    got = 0
    for l in out.split("\n")[:-1]:
        stack, count = l.rsplit(" ", 1)
        if not stack or ";;" in stack:
            fail("folded: bad stack %r" % l)
        got += int(count)
    if got != total:
        fail("folded: counts add up to %d, the trace has %d records in frames" % (got, total))


def chrome_events(stream):
    """The slices and instants a stream makes, as (ph, ts): "B" and "E" for
    every ENTER and EXIT of the call tree, its records' and those made up
    (frames of unknown callers, unfinished frames, and the frames an EESUM
    record pops and pushes), "i" for every EESUM record; ts the index of the
    record behind each (a tree's start for its frames of unknown callers, its
    end for its unfinished frames)."""
    start = 0
    for tree, end in split(stream):
        depth = low = 0
        for rec in tree:
            t = kf.kind(rec)
            if t == EESUM:
                low = min(low, depth + kf.eesum_mindelta(rec))
                depth += kf.eesum_delta(rec)
            else:
                depth += (t == ENTRY) - (t == EXIT)
            low = min(low, depth)
        for _ in range(-low):
            yield "B", start
        depth = -low
        for i, rec in enumerate(tree, start):
            t = kf.kind(rec)
            if t == ENTRY:
                yield "B", i
                depth += 1
            elif t == EXIT:
                yield "E", i
                depth -= 1
            elif t == EESUM:
                yield "i", i
                for _ in range(-kf.eesum_mindelta(rec)):
                    yield "E", i
                for _ in range(kf.eesum_delta(rec) - kf.eesum_mindelta(rec)):
                    yield "B", i
                depth += kf.eesum_delta(rec)
        stop = start + len(tree)
        for _ in range(depth):
            yield "E", stop
        if end is not None:
            yield "i", stop
        start = stop + 1


def chrome_track(i, h):
    """The (pid, tid) of stream i, of header h, as docs/kcovtrace.1 says:
    its task's; a remote section's own (tid 2^30 + i); pid 1, tid i + 1
    for a stream of no known task."""
    if h.get("kind") == 4:
        return (h["pid"] or 1, (1 << 30) + i)
    if h.get("tid"):
        return (h["pid"] or h["tid"], h["tid"])
    return (1, i + 1)


def check_chrome(headers, streams, out):
    """Exactly the events chrome_events() says, track by track, a task's
    streams one after the other; every slice closed; every track and
    process named before its first event."""
    doc = json.loads(out)
    depth = {}
    named = set()
    for ev in doc["traceEvents"]:
        if ev["ph"] == "M":
            named.add((ev["pid"], ev.get("tid")) if ev["name"] == "thread_name" else ev["pid"])
            continue
        if ev["pid"] not in named or (ev["pid"], ev["tid"]) not in named:
            fail("chrome: track %s used before it is named" % ((ev["pid"], ev["tid"]),))
        tid = (ev["pid"], ev["tid"])
        if ev["ph"] == "B":
            depth[tid] = depth.get(tid, 0) + 1
        elif ev["ph"] == "E":
            depth[tid] = depth.get(tid, 0) - 1
            if depth[tid] < 0:
                fail("chrome: an E without its B in thread %s" % (tid,))
    if any(depth.values()):
        fail("chrome: slices left open")
    got = [((ev["pid"], ev["tid"]), ev["ph"], ev["ts"]) for ev in doc["traceEvents"]
           if ev["ph"] != "M"]
    want, base = [], {}
    for i, (h, s) in enumerate(zip(headers, streams)):
        track = chrome_track(i, h)
        start = base.get(track, 0)
        want += [(track, ph, start + ts) for ph, ts in chrome_events(s)]
        base[track] = start + len(s) + 1
    if got != want:
        for n, (g, w) in enumerate(zip(got + [None] * len(want), want + [None] * len(got))):
            if g != w:
                fail("chrome: %d events, the trace makes %d; event %d is %s, the trace says %s"
                     % (len(got), len(want), n, g, w))


def check_report(streams, out):
    rows = out.split("\n")[1:-2]
    total = int(out.split("\n")[-2].split()[0])
    records = sum(len(s) for s in streams)
    if total != records:
        fail("report: %d records in its total, %d in the trace" % (total, records))
    excl = sum(int(r.split()[2]) for r in rows)
    # Exclusive records: every record but EESUM records and blocks outside
    # frames.
    outside = sum(1 for s in streams for k, d, r in rebuild(s)
                  if r is not None and (k == "EESUM" or (k == "BB" and d == 0)))
    if excl != records - outside:
        fail("report: exclusive records add up to %d, want %d" % (excl, records - outside))
    for r in rows:
        calls, incl, ex = (int(x) for x in r.split()[:3])
        if incl < ex or calls < 1:
            fail("report: row %r" % r)


def main():
    path, fmt, output = sys.argv[1:4]
    pc_fill, streams, headers = read_trace(path)
    out = open(output).read()
    {
        "replay": lambda: check_replay(streams, out),
        "raw": lambda: check_raw(streams, pc_fill, out),
        "pcs": lambda: check_pcs(streams, pc_fill, out),
        "folded": lambda: check_folded(streams, out),
        "chrome": lambda: check_chrome(headers, streams, out),
        "report": lambda: check_report(streams, out),
    }[fmt]()


main()
