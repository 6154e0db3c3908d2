#!/usr/bin/env python3
"""The import arrows between the modules of `src/dosing/`, its circles and
its upward imports.

Reads every non-test `.rs` file under `src/dosing/` (test files and
`#[cfg(test)] mod tests { .. }` blocks are left out: a test may use anything
of its room), finds each path that starts with `crate::dosing::` or
`super::` (in `use` lines and inline), expands `{a, b::C}` groups, resolves
it to the module that defines it (a name re-exported by a `mod.rs` face is
followed to its file), and draws the arrow inside the folder where the two
modules meet: a folder's `mod.rs` is the node `(mod)`, every other child is
its file or its whole subfolder.

Prints, per folder, the arrows, then the circles (strongly connected
components) and the imports that run up the stage order of `STAGE` below.
Exit status 1 when there is a circle or an upward import.

    python3 tools/dosing_arrows.py [--arrows] [src/dosing]
"""

import os
import re
import sys

# Stage order of the dosing room's root, lowest first: a module may import
# only from its own rank or below (a same-rank import between two nodes is
# still caught if it closes a circle). Names not listed rank with the top.
STAGE = [
    ["error", "request"],
    ["trail"],
    ["patient"],
    ["outcome"],
    ["range"],
    ["device"],
    ["proposal"],
    ["guard"],
    ["regimen"],
    ["assembly"],
    ["start", "titrate", "measure", "(mod)"],
]
# Within folders: lower stages first (same meaning).
FOLDER_STAGE = {
    "patient": [["dates", "slip"], ["(mod)"], ["stature"], ["growth", "igf1", "applies"],
                ["trajectory"], ["course"], ["findings"], ["echo"]],
    "guard": [["limits", "plausible", "flags", "restart", "envelope"], ["delivered", "(mod)"]],
    "device": [["product"], ["(mod)"], ["deliverable"]],
}
TEST_FILES = {"tests.rs", "test_support.rs"}
# A file of the root that belongs to a stage folder ranks with that folder
# (so the flat room of before is measured against the same order).
STAGE_OF = {
    "dates": "patient", "stature": "patient", "growth": "patient", "igf1": "patient",
    "course": "patient", "trajectory": "patient", "applies": "patient",
    "limits": "guard", "flags": "guard", "plausible": "guard", "restart": "guard",
    "product": "device", "deliverable": "device",
}


def rank_of(table, node):
    if table is STAGE:
        node = STAGE_OF.get(node, node)
    for i, names in enumerate(table):
        if node in names:
            return i
    return len(table)


def modules(root):
    """module path (tuple) -> file, for every file under root."""
    mods = {}
    for dirpath, _, files in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        base = () if rel == "." else tuple(rel.split(os.sep))
        for f in files:
            if not f.endswith(".rs"):
                continue
            if f == "mod.rs":
                mods[base] = os.path.join(dirpath, f)
            else:
                mods[base + (f[:-3],)] = os.path.join(dirpath, f)
    return mods


def is_test(path):
    name = os.path.basename(path)
    return name in TEST_FILES or name.endswith("_tests.rs")


def code_of(path):
    text = open(path, encoding="utf-8").read()
    # cut the inline test module
    m = re.search(r"^#\[cfg\(test\)\]\s*\nmod tests \{", text, re.M)
    if m:
        text = text[: m.start()]
    lines = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("//"):
            continue
        lines.append(re.sub(r'"(?:[^"\\]|\\.)*"', '""', line))
    return "\n".join(lines)


PATH = re.compile(r"\b(crate::dosing|(?:super::)+)((?:\w+::)*)(\{|\w+|\*)")


def group_at(text, i):
    """The text of the {...} group opening at text[i] and its end."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j], j
    return text[i + 1 :], len(text)


def split_top(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [x.strip() for x in out if x.strip()]


def expand_named(prefix, s):
    """(path, name) for each path named by `s`, a path or a group: the
    segments, and the name it goes by here (its alias after `as`, else its
    last segment)."""
    s = s.strip()
    m = re.match(r"^((?:\w+::)*)\{(.*)\}$", s, re.S)
    if m:
        pre = prefix + [x for x in m.group(1).split("::") if x]
        res = []
        for part in split_top(m.group(2)):
            res += expand_named(pre, part)
        return res
    parts = re.split(r"\s+as\s+", s)
    segs = prefix + [x for x in parts[0].split("::") if x]
    name = parts[1].strip() if len(parts) > 1 else (segs[-1] if segs else "")
    return [(segs, name)]


def expand(prefix, s):
    """Paths (lists of segments) named by `s`, a path or a group."""
    return [p for p, _ in expand_named(prefix, s)]


def paths_in(code):
    for m in PATH.finditer(code):
        head, mid, last = m.group(1), m.group(2), m.group(3)
        segs = [x for x in mid.split("::") if x]
        if last == "{":
            body, _ = group_at(code, m.end() - 1)
            for p in expand(segs, "{" + body + "}"):
                yield head, p
        else:
            yield head, segs + [last]


def faces(mods):
    """(module, name) -> module, for `pub use` re-exports in mod.rs faces."""
    out = {}
    for mod, path in mods.items():
        if not path.endswith("mod.rs"):
            continue
        for m in re.finditer(r"^pub(?:\([\w:]+\))? use ([^;]+);", code_of(path), re.M):
            # A name renamed at the face (`check as applies_check`) goes by
            # its new name only.
            for p, name in expand_named([], m.group(1)):
                sub = tuple(p[:-1])
                if sub and mod + sub[:1] in mods:
                    out[(mod, name)] = mod + sub
    return out


def uses(body, name):
    """Whether code uses a name it re-exports: a type or constant anywhere
    (not as a field, `p.Name`, nor under a path, `x::Name`), a function when
    called (a field or a local of the same name is not a use)."""
    if name[:1].isupper():
        return re.search(r"(?<![\w.:])%s\b" % name, body) is not None
    return re.search(r"(?<![\w.:])%s\s*\(" % name, body) is not None


def resolve(mods, face, cur, head, segs):
    if head == "crate::dosing":
        base = ()
    elif head == "self":
        base = cur
    else:
        n = head.count("super::")
        base = cur[: len(cur) - n] if n <= len(cur) else ()
    full = list(base) + [s for s in segs if s != "self"]
    # longest prefix that is a module
    best = ()
    for k in range(len(full), -1, -1):
        if tuple(full[:k]) in mods:
            best = tuple(full[:k])
            break
    # follow a re-export of the next segment
    seen = 0
    while len(full) > len(best) and (best, full[len(best)]) in face and seen < 5:
        best = face[(best, full[len(best)])]
        seen += 1
    return best


def arrows(root):
    mods = modules(root)
    face = faces(mods)
    out = set()
    for mod, path in sorted(mods.items()):
        if is_test(path) or mod[-1:] == ("test_support",):
            continue
        is_mod_rs = path.endswith("mod.rs")
        # `super` in a file `a/b.rs` is `a`; in `a/b/mod.rs` it is `a` too.
        code = code_of(path)
        if is_mod_rs:
            # a folder's face (`pub use child::X;`) is not a use of the child
            # unless the mod.rs itself uses the re-exported name
            faced = re.findall(r"^pub(?:\([\w:]+\))? use ([^;]+);", code, flags=re.M)
            code = re.sub(r"^pub(?:\([\w:]+\))? use [^;]+;", "", code, flags=re.M)
            body = re.sub(r"^\s*(?:pub(?:\([\w:]+\))?\s+)?mod\s+\w+;", "", code, flags=re.M)
            for f in faced:
                for q, name in expand_named([], f):
                    if q and q[0] not in ("super", "crate") and uses(body, name):
                        out.add((mod, resolve(mods, face, mod, "self", q)))
        # paths through a child module this file declares (`mod x;`)
        own = mod if is_mod_rs else mod  # a file `a.rs` declares `a::x`
        for kid in re.findall(r"^\s*(?:pub(?:\([\w:]+\))?\s+)?mod\s+(\w+);", code, re.M):
            if kid in ("tests", "test_support") or own + (kid,) not in mods:
                continue
            for m in re.finditer(r"(?<![\w:])" + kid + r"::((?:\w+::)*)(\{|\w+)", code):
                segs = [kid] + [x for x in m.group(1).split("::") if x]
                if m.group(2) == "{":
                    body, _ = group_at(code, m.end() - 1)
                    ps = expand(segs, "{" + body + "}")
                else:
                    ps = [segs + [m.group(2)]]
                for q in ps:
                    out.add((mod, resolve(mods, face, mod, "self", q)))
        for head, segs in paths_in(code):
            if not segs or segs[0] in ("test_support",):
                continue
            to = resolve(mods, face, mod, head, segs)
            if to != mod and not (to[:len(mod)] == mod and is_mod_rs and False):
                if to and to[-1] in ("tests", "test_support"):
                    continue
                out.add((mod, to))
    return mods, out


def folder_arrows(mods, arrows_):
    """folder -> set of (node, node)."""
    per = {}
    for a, b in arrows_:
        k = 0
        while k < min(len(a), len(b)) and a[k] == b[k]:
            k += 1
        folder = a[:k]
        na = a[k] if len(a) > k else "(mod)"
        nb = b[k] if len(b) > k else "(mod)"
        if na == nb:
            continue
        per.setdefault(folder, set()).add((na, nb))
    return per


def sccs(edges):
    nodes = sorted({x for e in edges for x in e})
    adj = {n: sorted(b for a, b in edges if a == n) for n in nodes}
    index, low, stack, on, res, i = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = i[0]
        i[0] += 1
        stack.append(v)
        on.add(v)
        for w in adj[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                res.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for n in nodes:
        if n not in index:
            visit(n)
    return res


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show = "--arrows" in sys.argv
    root = args[0] if args else "src/dosing"
    mods, arr = arrows(root)
    per = folder_arrows(mods, arr)
    bad = 0
    total = sum(len(v) for v in per.values())
    print(f"{len(mods)} modules, {len(arr)} module arrows, {total} folder arrows")
    for folder in sorted(per):
        name = "dosing" + "".join("/" + x for x in folder)
        edges = per[folder]
        table = STAGE if not folder else FOLDER_STAGE.get(folder[-1])
        if show:
            for a, b in sorted(edges):
                print(f"  {name}: {a} -> {b}")
        for comp in sccs(edges):
            bad += 1
            inner = sorted(f"{a}->{b}" for a, b in edges if a in comp and b in comp)
            print(f"CIRCLE in {name}: {' '.join(comp)}  ({', '.join(inner)})")
        if table is None:
            continue
        for a, b in sorted(edges):
            if rank_of(table, b) > rank_of(table, a):
                bad += 1
                which = sorted(
                    "::".join(y[len(folder):]) or "(mod)"
                    for x, y in arr
                    if x[len(folder):len(folder) + 1] == (a,) or (a == "(mod)" and x == folder)
                    if y[len(folder):len(folder) + 1] == (b,) or (b == "(mod)" and y == folder)
                )
                print(f"UP in {name}: {a} -> {b}  ({', '.join(which)})")
    print("clean" if bad == 0 else f"{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
