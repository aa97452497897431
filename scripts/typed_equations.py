"""Linear equations in one unknown, written as people type them, each with the two-line program
that solves it (math-reasoning's recipe 4, scripts/make-math-equations.py; the router's tried
equation source, docs/routing.md, drew on it under a seed of its own)."""

import sys

from adapter_prompts import normalised

LETTERS = "x" * 14 + "yyynnaabktmpqz"
ASKS = ["Solve for {v}: {e}", "solve {e} for {v}", "Find {v}. {e}", "What is {v} if {e}?", "{e}, {v} = ?",
        "{e} what is {v}", "find the value of {v}: {e}", "Solve {e}", "solve: {e}", "{e}\nsolve for {v}",
        "can u solve {e} pls", "If {e}, what is {v}?", "Determine {v} given {e}.", "help me solve {e}",
        "{e}. {v}=?", "Given {e}, find {v}.", "What value of {v} makes {e} true?", "i need to find {v} in {e}",
        "{v}? {e}", "Calculate {v} when {e}"]


def solve_program(left, right, v, named=False):
    """The two lines that solve `left = right` (Python expressions) for v; `named`, three, the
    root given its letter before it is printed (arithmetic's form: its sums print an expression,
    and a print that divides taught it to divide sums by themselves)."""
    solve = "-f(0) / (f(1) - f(0))"
    if named:
        return f"f = lambda {v}: ({left}) - ({right})\n{v} = {solve}\nprint({v})"
    return f"f = lambda {v}: ({left}) - ({right})\nprint({solve})"


def printed(program):
    """What the program prints, run here (our own programs only), or None when it fails."""
    out = []
    try:
        exec(program, {"__builtins__": {}, "print": lambda *a: out.append(a[0])})
    except Exception:
        return None
    return out[-1] if out else None


def close(a, b):
    return abs(float(a) - float(b)) <= 1e-6 * max(1, abs(float(b)))


def solved_rows(candidates, count, held_out, script):
    """The first `count` candidate rows whose question is not in `held_out` (normalised; each taken
    question is added to it), every one's program run and checked to print its `answer`; exits
    naming `script` when a program does not or too few rows are left."""
    rows = []
    for row in candidates:
        if len(rows) == count:
            break
        key = normalised(row["query"])
        if key in held_out:
            continue
        output = printed(row["completion"].strip())
        if output is None or not close(output, row["answer"]):
            sys.exit(f"{script}: {row['id']}: the program does not print {row['answer']}")
        held_out.add(key)
        rows.append(row)
    if len(rows) < count:
        sys.exit(f"{script}: only {len(rows)} of {count} rows from {candidates[0]['source'] if candidates else 'a source'}")
    return rows


class Typist:
    """Writes one side of an equation both as a person types it and as Python."""

    def __init__(self, rng, v):
        self.v = v
        self.implicit = rng.random() < 0.8          # "3x", not "3*x"
        self.spaced = rng.random() < 0.8            # "3x + 5", not "3x+5"
        self.minus = "\u2212" if rng.random() < 0.15 else "-"

    def term(self, k, unknown, first):
        """One signed term, k times the unknown or the constant k: (typed, python)."""
        sign = "-" if k < 0 else "+"
        a = abs(k)
        if unknown:
            typed = (self.v if a == 1 else f"{a}{self.v}" if self.implicit else f"{a}*{self.v}")
            python = self.v if a == 1 else f"{a}*{self.v}"
        else:
            typed = python = str(a)
        if first:
            return (self.minus + typed if sign == "-" else typed), ("-" + python if sign == "-" else python)
        gap = " " if self.spaced else ""
        return f"{gap}{self.minus if sign == '-' else '+'}{gap}{typed}", f" {sign} {python}"

    def sum(self, terms):
        """terms: [(k, unknown)] → (typed, python)."""
        parts = [self.term(k, u, i == 0) for i, (k, u) in enumerate(terms)]
        return "".join(p[0] for p in parts), "".join(p[1] for p in parts)

    def times(self, k, inner):
        """k(inner): (typed, python)."""
        typed, python = inner
        head = (self.minus if k < 0 else "") + (str(abs(k)) if abs(k) != 1 else "")
        times = "" if self.implicit or abs(k) == 1 else "*"
        return f"{head}{times}({typed})", f"{k}*({python})"


def nonzero(rng, low, high):
    while True:
        k = rng.randint(low, high)
        if k:
            return k


def own_equation(rng, named=False):
    """(query, program, answer) for one equation of one of eight shapes (`named`: solve_program's)."""
    v = rng.choice(LETTERS)
    t = Typist(rng, v)
    x = rng.randint(-15, 20) if rng.random() < 0.9 else rng.randint(-9, 9) + 0.5
    shape = rng.randrange(8)
    left = right = None
    a, c = nonzero(rng, -12, 15), nonzero(rng, -9, 12)
    b = rng.randint(-40, 40)
    if shape == 0:                                   # a x + b = r
        left = t.sum([(a, True), (b, False)] if b else [(a, True)])
        value = a * x + b
    elif shape == 1:                                 # a x + b = c x + d
        while c == a:
            c = nonzero(rng, -9, 12)
        d = a * x + b - c * x
        if d != int(d):
            return None
        left, right = t.sum([(a, True), (b, False)]), t.sum([(c, True), (int(d), False)] if d else [(c, True)])
    elif shape == 2:                                 # a(x + b) = r
        left = t.times(a, t.sum([(1, True), (b, False)]))
        value = a * (x + b)
    elif shape == 3:                                 # a(x + b) + c x = r
        if a + c == 0:
            return None
        inner = t.times(a, t.sum([(1, True), (b, False)]))
        more = t.term(c, True, False)
        left = (inner[0] + more[0], inner[1] + more[1])
        value = a * (x + b) + c * x
    elif shape == 4:                                 # x/k + b = r
        k = rng.randint(2, 9)
        x = k * rng.randint(-6, 9)
        typed = f"{v}/{k}"
        first = (typed, f"{v}/{k}")
        rest = t.term(b, False, False) if b else ("", "")
        left = (first[0] + rest[0], first[1] + rest[1])
        value = x / k + b
    elif shape == 5:                                 # r = a x + b
        right = t.sum([(a, True), (b, False)] if b else [(a, True)])
        value = a * x + b
    elif shape == 6:                                 # a x + c x = r
        if a + c == 0:
            return None
        left = t.sum([(a, True), (c, True)])
        value = (a + c) * x
    else:                                            # -a x - k(b + c x) = r
        k = rng.randint(2, 6)
        inner = t.times(-k, t.sum([(abs(b) % 9 + 1, False), (c, True)]))
        first = t.term(-abs(a), True, True)
        left = (first[0] + (" " if t.spaced else "") + inner[0], first[1] + " + " + inner[1])
        value = -abs(a) * x - k * (abs(b) % 9 + 1 + c * x)
    if right is None:
        if value != int(value):
            return None
        right = t.term(int(value), False, True)
    if left is None:
        left = t.term(int(value), False, True)
    gap = " " if t.spaced else ""
    equation = f"{left[0]}{gap}={gap}{right[0]}"
    program = solve_program(left[1], right[1], v, named)
    answer = printed(program)
    if answer is None or not close(answer, x):
        return None
    query = rng.choice(ASKS).format(v=v, e=equation)
    return query, program, x
