#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""exports.py SO MAP HEADER: every symbol the shared library exports is
named, no wildcard, in the version script's node nm says it has, and is
declared in the header; the script names nothing the library lacks.  Prints
what is wrong, exits 1 if anything is."""
import re
import subprocess
import sys

so, map_path, header = sys.argv[1:4]
wrong = []

# nm: "ADDR T name@@NODE" (the default version) or "name@NODE" (an older
# one), "ADDR A NODE" for each node.
exported = {}
for line in subprocess.run(["nm", "-D", "--defined-only", so], check=True,
                           capture_output=True, text=True).stdout.splitlines():
    addr, kind, name = line.split()
    if kind == "A":
        continue
    sym, _, node = name.partition("@")
    exported[sym] = node.lstrip("@")

text = re.sub(r"/\*.*?\*/", "", open(map_path).read(), flags=re.S)
named = {}
for node, body in re.findall(r"([A-Za-z_][\w.]*)\s*\{(.*?)\}[^;]*;", text, flags=re.S):
    scope = None
    for tok in re.findall(r"[^\s;]+:|[^\s;]+", body):
        if tok.endswith(":"):
            scope = tok[:-1]
            continue
        if scope == "local":
            if tok != "*":
                wrong.append(f"{node}: local {tok}: only '*' is local")
            continue
        if scope != "global":
            wrong.append(f"{node}: {tok} outside global: and local:")
        elif re.search(r"[*?\[]", tok):
            wrong.append(f"{node}: a wildcard, {tok}: name each symbol")
        elif tok in named:
            wrong.append(f"{tok} in {named[tok]} and {node}")
        else:
            named[tok] = node

hdr = re.sub(r"/\*.*?\*/", "", open(header).read(), flags=re.S)
declared = set(re.findall(r"\b(kct_\w+)\s*\(", hdr))

for sym, node in sorted(exported.items()):
    if sym not in named:
        wrong.append(f"{sym} (exported in {node or 'no node'}) is not in the version script")
    elif named[sym] != node:
        wrong.append(f"{sym} is exported in {node}, named in {named[sym]}")
    if sym not in declared:
        wrong.append(f"{sym} is exported but not declared in the header")
for sym, node in sorted(named.items()):
    if sym not in exported:
        wrong.append(f"{sym} is in the version script ({node}) but not exported")

print("\n".join(wrong) if wrong else f"{len(exported)} symbols, each named and declared")
sys.exit(1 if wrong else 0)
