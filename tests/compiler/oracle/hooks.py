#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""hooks.py FILE.ll: the coverage hooks of each function of an instrumented
module, in a form that two instrumenting passes can be compared in.

Per function, its blocks in order, each with the hooks it calls and how it
is left (ret, resume, unreachable, a musttail call), leaving out blocks that
have neither (such as critical edges split where no hook was placed).

One difference is made to vanish, and counted: LLVM's pass leaves its hook
calls able to unwind, so in a function with a personality EscapeEnumerator
turns each into an invoke whose normal edge continues the block and whose
unwind edge goes to the pass's cleanup pad (sancov_exit); the plugin marks
its hooks nounwind.  Here an invoke of a hook is a call in the same block,
and a cleanup pad that only hook invokes reach is left out.  The functions
where that happened are listed on stderr as "invoked-hooks NAME".
"""
import re
import sys

HOOK = re.compile(r'(?:(notail) )?(call|invoke) [^@]*@__sanitizer_cov_([a-z0-9_]+)\(')
LABEL = re.compile(r'^([-A-Za-z0-9_.$"]+):')
DEFINE = re.compile(r'^define [^@]*@("[^"]+"|[-A-Za-z0-9_.$]+)\(')
TARGETS = re.compile(r'label %("[^"]+"|[-A-Za-z0-9_.$]+)')


def functions(lines):
    """Yields (name, [(label, [lines])]) per defined function."""
    name = None
    for line in lines:
        if name is None:
            m = DEFINE.match(line)
            if m:
                name, blocks = m.group(1), [("entry", [])]
            continue
        if line.startswith("}"):
            yield name, blocks
            name = None
            continue
        m = LABEL.match(line)
        if m:
            blocks.append((m.group(1), []))
        elif line.strip() and not line.lstrip().startswith(";"):
            blocks[-1][1].append(line.strip())


def statements(block_lines):
    """Joins an instruction continued on the next line ("to label ...")."""
    out = []
    for line in block_lines:
        if out and line.startswith("to label"):
            out[-1] += " " + line
        else:
            out.append(line)
    return out


def normalize(name, blocks):
    blocks = [(label, statements(lines)) for label, lines in blocks]
    # The blocks that continue a hook invoke, and those its unwind edges
    # reach; a block reached otherwise too stays.
    continues, unwinds, other = set(), set(), set()
    invoked = False
    for _, stmts in blocks:
        for s in stmts:
            hook = HOOK.search(s)
            targets = TARGETS.findall(s)
            if hook and hook.group(2) == "invoke":
                invoked = True
                continues.add(targets[0])
                unwinds.update(targets[1:])
            else:
                other.update(targets)
    out = ["define " + name]
    current = []
    for label, stmts in blocks:
        if label in unwinds and label not in other:
            continue  # the pass's cleanup pad, reached from hook invokes only
        if label not in continues and current:
            out.append("block:")
            out.extend(current)
            current = []
        for s in stmts:
            hook = HOOK.search(s)
            if hook:
                # An invoke cannot be notail; an exit hook called there is.
                notail = hook.group(1) or (hook.group(2) == "invoke" and hook.group(3) == "trace_pc_exit")
                current.append("  " + ("notail " if notail else "") + hook.group(3))
            elif re.match(r"^(ret|resume|unreachable)\b", s):
                current.append("  " + s.split()[0])
            elif "musttail call" in s:
                current.append("  musttail")
    if current:
        out.append("block:")
        out.extend(current)
    out.append("}")
    return out, invoked


def main():
    with open(sys.argv[1]) as f:
        lines = f.read().splitlines()
    for name, blocks in functions(lines):
        out, invoked = normalize(name, blocks)
        print("\n".join(out))
        if invoked:
            print("invoked-hooks " + name, file=sys.stderr)


if __name__ == "__main__":
    main()
