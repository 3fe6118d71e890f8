#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""hot-paths.py OBJDUMP BEFORE.o AFTER.o: that a patch leaves the hooks'
unfiltered paths alone.  For __sanitizer_cov_trace_pc() and its entry and
exit variants in kernel/kcov.o without KCOV_FILTER (BEFORE) and with it
(AFTER), compared as multisets of instructions with the registers left out
(the compiler may pick others, and lay the blocks out anew), an
instruction of BEFORE may only change its operands (the same mnemonic),
and AFTER adds:
  - to the block hook, nothing (its mask of the mode takes KCOV_FILTERED
    in, an operand);
  - to the entry and exit hooks, the one test of the filter's two bits
    (KCOV_FILTERED, KCOV_FILTER_HIDING: bits 28 and 27 of the mode) and
    the branch on it, the tail call of the filter's out-of-line slow path
    with the return address as its argument and a return for the other
    way, and at most one register copy (the mode, kept for the test).
No callee-saved register is pushed and no frame set up.  A TAP line per
hook."""
import collections
import re
import subprocess
import sys

# Each hook, and the tests of the filter's bits it gains.
HOOKS = [("__sanitizer_cov_trace_pc", 0), ("__sanitizer_cov_trace_pc_entry", 1),
         ("__sanitizer_cov_trace_pc_exit", 1)]
# What a patch may add to the entry and exit hooks, registers left out
# (but %rsp).
ADDED = [
    re.compile(r"^test[lbw]? \$0x18000000, %R$"),
    re.compile(r"^j[a-z]+ <L>$"),
    re.compile(r"^movq \(%rsp\), %R$"),
    re.compile(r"^(jmp|callq?) <kcov_filter_(entry|exit)>$"),
    re.compile(r"^retq?$"),
]
BIT_TEST = ADDED[:1]
COPY = re.compile(r"^mov[lq] %R, %R$")


def erase(insn):
    """The instruction without its registers (but the stack pointer)."""
    return re.sub(r"%(?!rsp\b)[a-z][a-z0-9]*", "%R", insn)


def disassemble(objdump, obj, sym):
    out = subprocess.run([objdump, "-dr", "--no-show-raw-insn", "--no-leading-addr",
                          "--disassemble-symbols=" + sym, obj],
                         capture_output=True, text=True, check=True).stdout
    insns = []
    started = False
    for line in out.splitlines():
        if line.startswith("<" + sym + ">:"):
            started = True
            continue
        if not started or not line.strip():
            continue
        line = line.strip()
        if line.startswith("R_X86_64") or re.match(r"^[0-9a-f]+:\s+R_", line):
            # A relocation names what the instruction before refers to.
            insns[-1] += " @" + line.split()[-1]
            continue
        line = re.sub(r"\s+#.*$", "", line)
        # Jumps within the function: a label; to another function: its name.
        line = re.sub(r"0x[0-9a-f]+ <" + re.escape(sym) + r"\+0x[0-9a-f]+>", "<L>", line)
        line = re.sub(r"0x[0-9a-f]+ <([A-Za-z_0-9.]+)>", r"<\1>", line)
        insns.append(re.sub(r"\s+", " ", line))
    # Alignment padding after the last instruction is no code.
    while insns and insns[-1].startswith(("nop", "int3")):
        insns.pop()
    return insns


def main():
    objdump, before, after = sys.argv[1:4]
    failed = False
    for n, (sym, want) in enumerate(HOOKS, 1):
        old, new = disassemble(objdump, before, sym), disassemble(objdump, after, sym)
        problems = []
        removed = collections.Counter(map(erase, old)) - collections.Counter(map(erase, new))
        added = collections.Counter(map(erase, new)) - collections.Counter(map(erase, old))
        tests = copies = 0
        for insn in added.elements():
            if want and any(p.match(insn) for p in BIT_TEST):
                tests += 1
            elif want and any(p.match(insn) for p in ADDED):
                pass
            elif want and COPY.match(insn) and copies == 0:
                copies += 1
            else:
                # The same instruction with other operands.
                mnemonic = insn.split()[0]
                same = [r for r in removed if r.split()[0] == mnemonic and removed[r] > 0]
                if same:
                    removed[same[0]] -= 1
                else:
                    problems.append("added: " + insn)
        problems += ["removed: " + r for r in (+removed).elements()]
        if tests != want:
            problems.append("%d tests of the filter's bits added, not %d" % (tests, want))
        if any(re.match(r"^(push|pop)|^sub[q]? \$0x[0-9a-f]+, %rsp", i) for i in new):
            problems.append("a register saved or a frame set up")
        if not old:
            problems.append("no %s in %s" % (sym, before))
        if want:
            name = "%s: the unfiltered path is unchanged, the filter adds one test and a tail call" % sym
        else:
            name = "%s: the unfiltered path is unchanged, the filter adds nothing" % sym
        if problems:
            failed = True
            print("not ok %d - %s" % (n, name))
            for p in problems:
                print("#   " + p)
        else:
            print("ok %d - %s (%d instructions without the filter, %d with it)" % (n, name, len(old), len(new)))
    print("1..%d" % len(HOOKS))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
