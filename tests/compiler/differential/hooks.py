#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""hooks.py: the coverage hooks three compilers placed in the same code,
function by function, compared against LLVM 23's own.

  hooks.py [--check] [--list N] NATIVE PLUGIN GCC

Each argument is a directory of objects built from the same sources (the
same relative paths; kcov_ext_test.o, which calls the hooks itself, left
out) by (a) clang 23 natively, (b) clang 22 with the kcov-ext
plugin and (c) GCC 12 with the kcov-ext GCC plugin, or "-" for none.  Per
function of each object (llvm-objdump -dr), what it calls: the entry hook,
exit hooks, block hooks, and its rets.  (a) is the ground truth.

(a) against (b) and (a) against (c): a function in both is identical when
entry hook, exit hooks, block hooks and rets are the same; otherwise its
difference falls in the first category that fits:

  left alone      one compiler gave it no hook at all, the other did
  entry           the entry hooks differ
  unbalanced      an entry hook but fewer exit hooks than rets, or a jump
                  to a hook, in the second compiler
  returns         both balanced, with another number of rets (return paths
                  merged or copied by the optimizer)
  blocks          the same entry and exits, another number of block hooks
                  (blocks split, merged or pruned otherwise)

and a function in one only falls in:

  inlined         in the ground truth only: the other compiler inlined it
                  everywhere (or dropped it)
  clone           GCC's IPA clones: foo.constprop.N, foo.isra.N, foo.part.N
  cold            GCC's foo.cold, the unlikely part of foo() (merged into
                  foo before comparing, so never counted)
  outlined        in the other compiler only, not a clone: it kept out of
                  line what the ground truth inlined

left alone, entry and unbalanced are differences of the instrumentation,
not of the optimizer: with --check, any of them between (a) and (b) fails
(exit 1), as does a function of (a) itself with an entry hook and fewer
exit hooks than rets.
"""
import collections
import os
import re
import subprocess
import sys

OBJDUMP = os.environ.get("LLVM_OBJDUMP", "llvm-objdump-22")
FUNC = re.compile(r"^[0-9a-f]+ <(.+)>:$")
INSN = re.compile(r"^\s*[0-9a-f]+:\s+(\S+)")
RELOC = re.compile(r"R_X86_64_(?:PLT32|PC32)\s+(__sanitizer_cov_trace_pc(?:_entry|_exit)?)[-+]")
CLONE = re.compile(r"\.(constprop|isra|part)\.\d+")


def summarize(path):
    """{function: Counter(entry, exit, pc, ret, jmp-hook)} of one object."""
    out = subprocess.run([OBJDUMP, "-dr", "--no-show-raw-insn", path],
                         capture_output=True, text=True, check=True).stdout
    funcs = {}
    cur = None
    last = None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            name = m.group(1)
            # GCC's foo.cold runs in foo()'s frame.
            base = name[:-5] if name.endswith(".cold") else name
            cur = funcs.setdefault(base, collections.Counter())
            continue
        if cur is None:
            continue
        m = RELOC.search(line)
        if m:
            hook = {"__sanitizer_cov_trace_pc_entry": "entry",
                    "__sanitizer_cov_trace_pc_exit": "exit",
                    "__sanitizer_cov_trace_pc": "pc"}[m.group(1)]
            cur[hook if last and last.startswith("call") else "jmp-" + hook] += 1
            continue
        m = INSN.match(line)
        if m:
            last = m.group(1)
            if last in ("ret", "retq"):
                cur["ret"] += 1
    return funcs


def corpus(root):
    """{relative object path: summary} of every .o below root."""
    objs = {}
    if root == "-":
        return objs
    for d, _, files in os.walk(root):
        for f in files:
            # vmlinux.o is every other object again, linked: a static
            # function's name is no longer unique there.  The KUnit suite
            # calls the hooks itself (test_saturation, thousands of times
            # in a loop): its calls are not the compiler's.
            if f.endswith(".o") and not f.endswith(".mod.o") and \
               f not in ("vmlinux.o", "kcov_ext_test.o"):
                p = os.path.join(d, f)
                objs[os.path.relpath(p, root)] = p
    return objs


def balanced(c):
    return c["entry"] == 1 and c["exit"] >= c["ret"] and not c["jmp-exit"] and not c["jmp-entry"]


def category(a, b):
    """The category of a function's difference, or None if identical."""
    keys = ("entry", "exit", "pc", "ret", "jmp-entry", "jmp-exit", "jmp-pc")
    if all(a[k] == b[k] for k in keys):
        return None
    if bool(a["entry"] or a["pc"]) != bool(b["entry"] or b["pc"]):
        return "left alone"
    if a["entry"] != b["entry"]:
        return "entry"
    if b["entry"] and not balanced(b):
        return "unbalanced"
    if a["ret"] != b["ret"] or a["exit"] != b["exit"]:
        return "returns"
    return "blocks"


def compare(truth, other, label, listing, counts, examples):
    for obj in sorted(set(truth) & set(other)):
        ta, tb = truth[obj], other[obj]
        for fn in sorted(set(ta) | set(tb)):
            if fn in ta and fn in tb:
                cat = category(ta[fn], tb[fn]) or "identical"
            elif fn in ta:
                cat = "inlined"
            else:
                cat = "clone" if CLONE.search(fn) else "outlined"
            counts[label][cat] += 1
            if cat != "identical" and len(examples[label][cat]) < listing:
                examples[label][cat].append(f"{obj}: {fn}: {dict(ta.get(fn, {}))} / {dict(tb.get(fn, {}))}")


def main():
    args = sys.argv[1:]
    check = listing = 0
    while args and args[0].startswith("--"):
        if args[0] == "--check":
            check = 1
            args = args[1:]
        elif args[0] == "--list":
            listing = int(args[1])
            args = args[2:]
        else:
            sys.exit(f"hooks.py: unknown option {args[0]}")
    if len(args) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    roots = dict(zip(("native", "plugin", "gcc"), args))
    objs = {k: corpus(v) for k, v in roots.items()}
    common = set(objs["native"])
    for k in ("plugin", "gcc"):
        if roots[k] != "-":
            common &= set(objs[k])
    summaries = {k: {o: summarize(objs[k][o]) for o in common} for k in roots if roots[k] != "-"}
    counts = collections.defaultdict(collections.Counter)
    examples = collections.defaultdict(lambda: collections.defaultdict(list))
    bad_truth = [f"{o}: {fn}: {dict(c)}" for o, fs in summaries["native"].items()
                 for fn, c in fs.items() if c["entry"] and not balanced(c)]
    for k, label in (("plugin", "(a) clang 23 / (b) clang 22 + plugin"),
                     ("gcc", "(a) clang 23 / (c) GCC 12 + plugin")):
        if k in summaries:
            compare(summaries["native"], summaries[k], label, listing, counts, examples)
    print(f"{len(common)} objects")
    order = ("identical", "blocks", "returns", "left alone", "entry", "unbalanced", "inlined", "outlined", "clone")
    for label, c in counts.items():
        both = sum(v for k, v in c.items() if k not in ("inlined", "outlined", "clone"))
        print(f"{label}: {both} functions in both, {c['identical']} identical "
              f"({100.0 * c['identical'] / max(both, 1):.1f} %)")
        for cat in order[1:]:
            if c[cat]:
                print(f"  {cat:12} {c[cat]}")
                for e in examples[label][cat]:
                    print(f"      {e}")
    if bad_truth:
        print(f"(a) itself: {len(bad_truth)} functions with an entry hook but not an exit per ret")
        for e in bad_truth[:listing]:
            print(f"      {e}")
    if check:
        c = counts["(a) clang 23 / (b) clang 22 + plugin"]
        bad = c["left alone"] + c["entry"] + c["unbalanced"] + len(bad_truth)
        if bad:
            print(f"hooks.py: {bad} differences of the instrumentation between (a) and (b)", file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
