# SPDX-License-Identifier: GPL-2.0-only
"""asmcheck.py FILE.s FUNC:CHECK[=ARG]...: hook placement in GCC's x86-64
assembly.

A function is the text between its label and its ".size FUNC," directive,
which takes in the unlikely part GCC moves to .text.unlikely (FUNC.cold):
GCC emits that part before the ".size" of the function.  Checks:

  instrumented   the first hook call is __sanitizer_cov_trace_pc_entry, the
                 only entry call; every ret is reached, on every path to it,
                 from a call of __sanitizer_cov_trace_pc_exit through
                 epilogue instructions only; as many exit calls as rets; no
                 jmp leaves the function (no sibling call, to a hook or
                 anything else)
  nohooks        no __sanitizer_cov_* call or jump at all
  noblocks       no __sanitizer_cov_trace_pc (block hook) call
  blocks         at least one block hook call
  multiret       GCC gave it more than one ret
  cold           GCC moved a part of it to FUNC.cold
  cmp            at least one __sanitizer_cov_trace_*cmp* call
  exit-after=G   every call of G is followed by the exit hook, with no
                 label, jump or other call than block hooks in between
  noexit-before=G  no exit hook call on the straight-line code before a call
                 of G (back to the previous label or jump)
  entry-outside-loops  the entry call lies in no range from a backward
                 jump's target to the jump (so it does not run per iteration)

Prints one line per failed check and exits 1 if any failed.
"""
import re
import sys

HOOK = "__sanitizer_cov_"
ENTRY = "__sanitizer_cov_trace_pc_entry"
EXIT = "__sanitizer_cov_trace_pc_exit"
BLOCK = "__sanitizer_cov_trace_pc"

LABEL = re.compile(r"^([.\w$]+):")
INSN = re.compile(r"^\s+([a-z][a-z0-9]*)\b\s*(.*?)\s*(?:#.*)?$")

# What may stand between the exit hook and a ret: restoring callee-saved
# registers and the stack pointer, and moving the return value into place.
REG = r"%[a-z0-9]+"
EPILOGUE = [
    re.compile(r"^pop[qlw]?\s+" + REG + "$"),
    re.compile(r"^leave[q]?$"),
    re.compile(r"^add[q]?\s+\$\d+,\s*%rsp$"),
    re.compile(r"^lea[q]?\s+-?\d*\(%rsp\),\s*%rsp$"),
    # the return value: from a register, a constant or an address
    # computation, into a register
    re.compile(r"^(mov|movz|movs)[a-z]*\s+(\$-?\w+|" + REG + r"),\s*" + REG + "$"),
    re.compile(r"^lea[lq]?\s+[^,]*\(" + REG + r"(,\s*" + REG + r"(,\s*\d)?)?\),\s*" + REG + "$"),
    # registers saved in the frame, or at -O0 the return value kept there
    re.compile(r"^mov[a-z]*\s+-?\d*\((%rbp|%rsp)\),\s*" + REG + "$"),
    re.compile(r"^xor[lq]?\s+(" + REG + r"),\s*\1$"),
    re.compile(r"^or[lq]?\s+\$-1,\s*" + REG + "$"),
]


def is_epilogue(text):
    return any(p.match(text) for p in EPILOGUE)


def functions(path):
    """{name: [(kind, text, arg)]}: kind "label" (arg: name) or "insn"
    (text: "op operands", arg: op)."""
    funcs, cur, body, prev = {}, None, None, ""
    for line in open(path):
        line = line.rstrip("\n")
        if cur is not None:
            m = re.match(r"^\s+\.size\s+([.\w$]+),", line)
            if m and m.group(1) == cur:
                funcs[cur] = body
                cur = None
                continue
        m = LABEL.match(line)
        if m:
            if cur is None:
                if re.search(r"^\s+\.type\s+" + re.escape(m.group(1)) + r",\s*@function", prev):
                    cur, body = m.group(1), []
            else:
                body.append(("label", line, m.group(1)))
            prev = line
            continue
        prev = line
        if cur is None:
            continue
        m = INSN.match(line)
        if m and not line.lstrip().startswith("."):
            body.append(("insn", (m.group(1) + " " + m.group(2)).strip(), m.group(1)))
    return funcs


def target(insn):
    """The symbol a call or jump goes to, without @PLT."""
    t = insn[1].split(None, 1)[1] if " " in insn[1] else ""
    return t.split("@")[0]


def is_call(insn, name=None):
    return insn[0] == "insn" and insn[2] in ("call", "callq") and \
        (name is None or target(insn) == name)


def is_jump(insn):
    return insn[0] == "insn" and insn[2].startswith("j")


def hook_calls(body, prefix=HOOK):
    return [i for i, x in enumerate(body) if is_call(x) and target(x).startswith(prefix)]


def exit_reaches(body, i, seen):
    """Every path into position i (exclusive) comes from an exit hook
    call through epilogue instructions only; returns a complaint or None."""
    j = i - 1
    while j >= 0:
        kind, text, arg = body[j]
        if kind == "label":
            if arg in seen:
                return None
            seen.add(arg)
            for k, x in enumerate(body):
                if is_jump(x) and target(x) == arg:
                    if x[2] != "jmp":
                        return "conditional jump to %s between exit hook and ret" % arg
                    why = exit_reaches(body, k, seen)
                    if why:
                        return why
            # and the fall-through from above, unless nothing falls through
            if j > 0 and body[j - 1][0] == "insn" and body[j - 1][2] in ("jmp", "ret", "retq"):
                return None
            j -= 1
            continue
        if is_call(body[j], EXIT):
            return None
        if not is_epilogue(text):
            return "'%s' between the last hook and a ret" % text
        j -= 1
    return "a ret with no exit hook call before it"


def check(name, body, what, arg, fname):
    if what == "instrumented":
        hooks = hook_calls(body)
        if not hooks or target(body[hooks[0]]) != ENTRY:
            return "first hook call is %s" % (target(body[hooks[0]]) if hooks else "missing")
        entries = hook_calls(body, ENTRY)
        if len(entries) != 1:
            return "%d entry hook calls" % len(entries)
        rets = [i for i, x in enumerate(body) if x[0] == "insn" and x[2] in ("ret", "retq")]
        exits = [i for i in hook_calls(body, EXIT) if target(body[i]) == EXIT]
        if not rets:
            return "no ret"
        for r in rets:
            why = exit_reaches(body, r, set())
            if why:
                return why
        if len(exits) != len(rets):
            return "%d exit hook calls for %d rets" % (len(exits), len(rets))
        local = {x[2] for x in body if x[0] == "label"} | {fname + ".cold"}
        for x in body:
            if is_jump(x) and target(x) not in local:
                return "'%s' leaves the function" % x[1]
        return None
    if what == "nohooks":
        bad = [x[1] for x in body if x[0] == "insn" and HOOK in x[1]]
        return "hooks: %s" % ", ".join(bad) if bad else None
    if what == "noblocks":
        n = sum(1 for x in body if is_call(x, BLOCK))
        return "%d block hook calls" % n if n else None
    if what == "blocks":
        return None if any(is_call(x, BLOCK) for x in body) else "no block hook call"
    if what == "multiret":
        n = sum(1 for x in body if x[0] == "insn" and x[2] in ("ret", "retq"))
        return None if n > 1 else "%d ret" % n
    if what == "cold":
        ok = any(x[0] == "label" and x[2] == fname + ".cold" for x in body)
        return None if ok else "no %s.cold part" % fname
    if what == "cmp":
        ok = any(is_call(x) and re.match(HOOK + r"trace_(const_)?cmp", target(x)) for x in body)
        return None if ok else "no comparison hook call"
    if what == "exit-after":
        calls = [i for i, x in enumerate(body) if is_call(x, arg)]
        if not calls:
            return "no call of %s" % arg
        for i in calls:
            for x in body[i + 1:]:
                if is_call(x, EXIT):
                    break
                if is_call(x, BLOCK):
                    continue
                if is_call(x) or is_jump(x) or x[0] == "label":
                    return "after the call of %s: '%s' before the exit hook" % (arg, x[1])
            else:
                return "no exit hook after the call of %s" % arg
        return None
    if what == "noexit-before":
        calls = [i for i, x in enumerate(body) if is_call(x, arg)]
        if not calls:
            return "no call of %s" % arg
        for i in calls:
            j = i - 1
            while j >= 0 and body[j][0] == "insn" and not is_jump(body[j]):
                if is_call(body[j], EXIT):
                    return "exit hook call before the call of %s" % arg
                j -= 1
        return None
    if what == "entry-outside-loops":
        entries = hook_calls(body, ENTRY)
        if len(entries) != 1:
            return "%d entry hook calls" % len(entries)
        e = entries[0]
        labels = {x[2]: i for i, x in enumerate(body) if x[0] == "label"}
        for k, x in enumerate(body):
            t = labels.get(target(x)) if is_jump(x) else None
            if t is not None and t <= e < k:
                return "entry hook inside the loop from %s back to '%s'" % (body[t][2], x[1])
        return None
    raise SystemExit("asmcheck: unknown check %r" % what)


def main():
    funcs = functions(sys.argv[1])
    failed = False
    for spec in sys.argv[2:]:
        fname, _, what = spec.partition(":")
        what, _, arg = what.partition("=")
        if fname not in funcs:
            print("%s: no function %s in %s" % (spec, fname, sys.argv[1]))
            failed = True
            continue
        why = check(fname, funcs[fname], what, arg, fname)
        if why:
            print("%s: %s" % (spec, why))
            failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
