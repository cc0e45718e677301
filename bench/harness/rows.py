"""The figures of the table and their targets, built from the raw results of each registry."""
from .report import Row

GB = 1e9


def _get(res, key, field):
    r = res.get(key)
    return None if r is None else r.get(field)


def _pair(b, d, key, field):
    return _get(b, key, field), _get(d, key, field)


def _client(b, d, key):
    return _pair(b, d, key, "client_cpu_share")


def _cpu_per_gb(res, keys):
    rs = [res[k] for k in keys if k in res and "error" not in res[k]]
    nbytes = sum(r["bytes"] for r in rs)
    return sum(r["server_cpu_s"] for r in rs) / (nbytes / GB) if nbytes else None


def _label(size):
    return "1 MiB" if size == 1 << 20 else "10 MiB"


class _Rows(list):
    """Collects rows; `add(key, row)` marks a side whose workload failed as ERROR in that row."""

    def __init__(self, b, d):
        super().__init__()
        self.sides = (b, d)

    def append_for(self, key, row):
        extra = list(row.extra)
        for i, res in enumerate(self.sides):
            if "error" in (res.get(key) or {}) or "error" in (res.get("server") or {}):
                extra[i] = "ERROR"
        row.extra = tuple(extra)
        row.key = key
        self.append(row)


def build(b, d, disk, profile):
    """Return the list of Rows. `b` and `d` are side.run results (possibly empty)."""
    from .side import PUSHES, PULLS
    rows = _Rows(b, d)
    big_target = (">=", 0.9 * disk["mb_per_s"]) if disk else None
    disk_target = (">=", 0.9 * disk["files_10m"]["mb_per_s"]) if disk else None
    for key, size, conc, mode in PUSHES:
        if key not in b and key not in d:
            continue
        extra = tuple(None if x is None else f"{x:,.1f} MB/s" for x in _pair(b, d, key, "mb_per_s"))
        if size == 1 << 20:
            rows.append_for(key, Row(f"push {mode} {_label(size)} c{conc}", "seq/s",
                                     *_pair(b, d, key, "seq_per_s"), ("ratio>=", 2), _client(b, d, key), extra))
        else:
            rows.append_for(key, Row(f"push {mode} {_label(size)} c{conc}", "MB/s",
                                     *_pair(b, d, key, "mb_per_s"), disk_target, _client(b, d, key)))
    ten = [k for k, s, _, _ in PUSHES if s != 1 << 20]
    if any(k in b or k in d for k in ten):
        rows.append_for("cpu-per-gb-10m", Row("server CPU per GB pushed (10 MiB)", "s/GB",
                                              _cpu_per_gb(b, ten), _cpu_per_gb(d, ten), ("ratio<=", 0.5)))
    for key, _, conc in PULLS:
        if key in b or key in d:
            size = "1 MiB" if "1m" in key else "10 MiB"
            rows.append_for(key, Row(f"pull {size} c{conc} (HEAD+GET manifest, config, layer)", "MB/s",
                                     *_pair(b, d, key, "mb_per_s"), ("ratio>=", 1.5), _client(b, d, key)))
    for key, fig in [("manifest-head", "manifest HEAD by tag (hload c16)"),
                     ("manifest-get", "manifest GET by tag (wrk c16)"), ("tags-list", "tags/list (wrk c16)")]:
        if key in b or key in d:
            errs = tuple(None if e is None else (f"{e} errors" if e else None) for e in _pair(b, d, key, "errors"))
            row = Row(fig, "req/s", *_pair(b, d, key, "req_per_s"), ("ratio>=", 10), _client(b, d, key), errs)
            row.berth_valid = not _get(b, key, "errors")
            rows.append_for(key, row)
    for key, fig in [("catalog-walk", f"_catalog walk n=100 ({profile['repos']} repos)"),
                     ("tags-walk", f"tags/list walk n=100 ({profile['repos']} tags)")]:
        if key in b or key in d:
            ms = tuple(None if s is None else s * 1e3 for s in _pair(b, d, key, "seconds"))
            pages = tuple(None if p is None else f"{p} pages" for p in _pair(b, d, key, "pages"))
            rows.append_for(key, Row(fig, "ms", *ms, None, (None, None), pages))
    big = f"{profile['big_bytes'] >> 20} MiB" if profile.get("big_bytes", 0) < 1 << 30 else "1 GiB"
    if "big-push" in b or "big-push" in d:
        rows.append_for("big-push", Row(f"{big} blob push (curl -T)", "MB/s", *_pair(b, d, "big-push", "mb_per_s"),
                                        big_target, _client(b, d, "big-push")))
        rows.append_for("cpu-per-gb-big", Row(f"server CPU per GB pushed ({big})", "s/GB",
                                              _cpu_per_gb(b, ["big-push"]), _cpu_per_gb(d, ["big-push"]),
                                              ("ratio<=", 0.5)))
        rows.append_for("big-pull", Row(f"{big} blob pull (curl -o /dev/null)", "MB/s",
                                        *_pair(b, d, "big-pull", "mb_per_s"), (">=", 1500), _client(b, d, "big-pull")))
    if b or d:
        rows.append_for("server", Row("server peak RSS (VmHWM, whole run)", "MB",
                                      *_pair(b, d, "server", "peak_rss_mb"), ("<", 150)))
        rows.append_for("server-cpu", Row("server CPU, whole run", "s", *_pair(b, d, "server", "cpu_s")))
    return rows
