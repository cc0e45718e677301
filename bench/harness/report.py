"""Turn per-registry results into rows (figure, Berth, Distribution, ratio, target, met?), print, save JSON."""
import json
import os
import time


class Row:
    """One figure. `ratio` is always Berth / Distribution; the target says which way is better."""

    def __init__(self, figure, unit, berth, dist, target=None, client=(None, None), extra=(None, None)):
        self.figure, self.unit, self.berth, self.dist = figure, unit, berth, dist
        self.target, self.client, self.extra = target, client, extra
        self.key = None  # stable identifier in the JSON (the workload key)
        self.berth_valid = True  # False when Berth's figure came with errors: the target is then not met

    @property
    def ratio(self):
        if self.berth is None or not self.dist:
            return None
        return self.berth / self.dist

    def met(self):
        if self.target is None or self.berth is None:
            return None
        if not self.berth_valid:
            return False
        kind, value = self.target
        if kind == "ratio>=":
            return None if self.ratio is None else self.ratio >= value
        if kind == "ratio<=":
            return None if self.ratio is None else self.ratio <= value
        if kind == ">=":
            return self.berth >= value
        if kind == "<":
            return self.berth < value
        raise ValueError(kind)

    def target_text(self):
        if self.target is None:
            return "-"
        kind, value = self.target
        if kind.startswith("ratio"):
            return f"{'>=' if kind == 'ratio>=' else '<='} {value:g}x"
        return f"{kind} {value:,.0f} {self.unit}"

    def as_dict(self):
        return {"key": self.key, "figure": self.figure, "unit": self.unit, "berth": self.berth, "distribution": self.dist,
                "ratio": self.ratio, "target": self.target_text(), "met": self.met(),
                "client_cpu_share": {"berth": self.client[0], "distribution": self.client[1]},
                "detail": {"berth": self.extra[0], "distribution": self.extra[1]}}


def _num(v, unit):
    if v is None:
        return "-"
    if unit in ("req/s", "MB/s", "seq/s") and v >= 100:
        return f"{v:,.0f}"
    return f"{v:,.2f}" if v < 100 else f"{v:,.0f}"


def _cell(v, unit, extra):
    if v is None:
        return extra or "-"
    return f"{_num(v, unit)} {unit}" + (f" ({extra})" if extra else "")


def _pct(v):
    return "-" if v is None else f"{100 * v:.0f}%"


def render(rows, header_lines):
    """Return the table as text."""
    table = [("figure", "Berth", "Distribution", "ratio", "target", "met?", "client CPU B/D")]
    for r in rows:
        met = r.met()
        table.append((r.figure, _cell(r.berth, r.unit, r.extra[0]), _cell(r.dist, r.unit, r.extra[1]),
                      "-" if r.ratio is None else f"{r.ratio:.2f}x", r.target_text(),
                      {True: "yes", False: "NO", None: "-"}[met], f"{_pct(r.client[0])}/{_pct(r.client[1])}"))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = list(header_lines)
    for n, row in enumerate(table):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def save(results_dir, rows, meta):
    """Write results/bench-<UTC time>.json and results/latest.json; return the path."""
    os.makedirs(results_dir, exist_ok=True)
    doc = {"meta": meta, "rows": [r.as_dict() for r in rows]}
    path = os.path.join(results_dir, time.strftime("bench-%Y%m%dT%H%M%SZ.json", time.gmtime()))
    for p in (path, os.path.join(results_dir, "latest.json")):
        with open(p, "w") as f:
            json.dump(doc, f, indent=2)
    return path
