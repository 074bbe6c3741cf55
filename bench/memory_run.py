"""Peak memory of `newsstand demo` (the embedded `newsstand run` holding the demo corpus).

Starts `.venv/bin/newsstand demo` with a fresh data folder on a free port, follows its
process tree through /proc (VmHWM: peak resident set of each process; VmRSS: current),
polls the SQLite file until the articles stop growing, then stops it (SIGINT, SIGTERM,
SIGKILL; bounded). Optionally runs lemon24/reader over the same feeds (the demo's /opml)
in its own venv and reports that process's peak RSS too.

    .venv/bin/python bench/memory_run.py [--speed 10] [--quiet 75] [--max-wait 600]
        [--skip-reader] [--json OUT.json]

The demo's publisher server runs as a thread inside Newsstand's main process, so the main
process figure includes it (the corpus and the rendered feeds). `--speed` shortens the
demo's 10-minute arrival window (10 → 1 minute); it does not change what is held.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWSSTAND = ROOT / ".venv" / "bin" / "newsstand"
READER_PYTHON = Path(os.environ.get("READER_PYTHON", "/tmp/bench-reader-venv/bin/python"))

READER_HOLD = """
import json, re, resource, sys, time, urllib.request
from reader import make_reader
opml = urllib.request.urlopen(sys.argv[2], timeout=30).read().decode()
urls = sorted(set(re.findall(r'xmlUrl="([^"]+)"', opml)))
reader = make_reader(sys.argv[1])
for url in urls:
    reader.add_feed(url.replace("&amp;", "&"), exist_ok=True)
start = time.perf_counter()
reader.update_feeds(workers=int(sys.argv[3]), scheduled=False)
seconds = time.perf_counter() - start
counts = reader.get_entry_counts()
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
rss_kb = int(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmRSS")))
print(json.dumps({"feeds": len(urls), "entries": counts.total, "update_seconds": seconds,
                  "peak_mib": peak_kb / 1024, "rss_after_mib": rss_kb / 1024}))
"""


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


def status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (from /proc/*/stat's parent field)."""
    parent_of: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent_of[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [p for p, pp in parent_of.items() if pp == current]
        found += kids
        frontier += kids
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
    except OSError:
        return "?"


class Tree:
    """Peak (VmHWM, and the largest VmRSS sampled) and last RSS of each process seen."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak: dict[int, int] = {}
        self.rss: dict[int, int] = {}
        self.names: dict[int, str] = {}
        self.peak_total = 0

    def sample(self) -> None:
        total = 0
        for pid in [self.root, *children(self.root)]:
            hwm, rss = status_kib(pid, "VmHWM"), status_kib(pid, "VmRSS")
            if not rss:
                continue
            self.names.setdefault(pid, cmdline(pid))
            self.peak[pid] = max(self.peak.get(pid, 0), hwm, rss)
            self.rss[pid] = rss
            total += rss
        self.peak_total = max(self.peak_total, total)


def db_counts(db: Path) -> tuple[int, int]:
    if not db.exists():
        return 0, 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            row = conn.execute(
                "SELECT COUNT(*), COUNT(DISTINCT publisher_id) FROM articles_article"
            ).fetchone()
            return int(row[0]), int(row[1])
    except sqlite3.Error:
        return 0, 0


def front_page(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def stop(proc: subprocess.Popen[str]) -> str:
    for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        proc.send_signal(sig)
        try:
            proc.wait(wait)
            return sig.name
        except subprocess.TimeoutExpired:
            continue
    return "not stopped"


def run_demo(args: argparse.Namespace, work: Path) -> dict:
    port = free_port()
    data = work / "demo-data"
    env = dict(os.environ)
    env.update(
        NEWSSTAND_DATA_DIR=str(data),
        NEWSSTAND_BIND=f"127.0.0.1:{port}",
        NEWSSTAND_SECRET_KEY="bench-only-not-secret-" + "x" * 40,
    )
    env.pop("DATABASE_URL", None)
    log_path = work / "demo.log"
    cmd = [str(NEWSSTAND), "demo", "--speed", str(args.speed)]
    start = time.monotonic()
    log = log_path.open("w")
    proc = subprocess.Popen(
        cmd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True
    )
    tree = Tree(proc.pid)
    db = data / "newsstand.sqlite3"
    result: dict = {"command": " ".join(cmd), "port": port}
    first_article = first_100 = None
    last_count, last_change = -1, time.monotonic()
    opml_url = ""
    try:
        while time.monotonic() - start < args.max_wait and proc.poll() is None:
            tree.sample()
            now = time.monotonic()
            if not opml_url:
                found = re.search(r"Demo publishers at (http://\S+?)/? ", log_path.read_text())
                opml_url = f"{found.group(1)}/opml" if found else ""
            count, publishers = db_counts(db)
            if count != last_count:
                last_count, last_change = count, now
            if first_article is None or first_100 is None:
                page = front_page(port)
                shown = re.search(r"([\d,]+) articles? from ([\d,]+) publisher", page)
                if first_article is None and shown and page and "No articles yet" not in page:
                    first_article = now - start
                if first_100 is None and publishers >= 100 and "No articles yet" not in page:
                    first_100 = now - start
            if count and now - last_change > args.quiet:
                break
            time.sleep(1)
        tree.sample()
        result["articles"], result["publishers_with_articles"] = db_counts(db)
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            result["publishers"] = conn.execute(
                "SELECT COUNT(*) FROM sources_publisher"
            ).fetchone()[0]
            result["feeds"] = conn.execute("SELECT COUNT(*) FROM sources_feed").fetchone()[0]
        result["seconds_to_first_article_on_front"] = first_article
        result["seconds_to_100_publishers"] = first_100
        result["seconds_until_stable"] = last_change - start
        result["ran_seconds"] = time.monotonic() - start
        result["opml_url"] = opml_url
        if opml_url and not args.skip_reader:
            result["reader"] = run_reader(work, opml_url)
    finally:
        tree.sample()
        result["stopped_by"] = stop(proc)
        log.close()
    result["processes"] = [
        {
            "pid": pid,
            "role": "main" if pid == proc.pid else "child",
            "cmd": tree.names.get(pid, ""),
            "peak_mib": tree.peak[pid] / 1024,
            "last_rss_mib": tree.rss.get(pid, 0) / 1024,
        }
        for pid in tree.peak
    ]
    result["peak_tree_mib"] = tree.peak_total / 1024
    result["log_tail"] = log_path.read_text()[-1500:]
    return result


def run_reader(work: Path, opml_url: str) -> dict:
    if not READER_PYTHON.exists():
        return {"skipped": f"no reader at {READER_PYTHON}"}
    script = work / "reader_hold.py"
    script.write_text(textwrap.dedent(READER_HOLD))
    out = {}
    for workers in (1, 8):
        done = subprocess.run(
            [
                str(READER_PYTHON),
                str(script),
                str(work / f"reader-{workers}.sqlite"),
                opml_url,
                str(workers),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            out[f"workers={workers}"] = {"error": done.stderr[-1500:]}
        else:
            out[f"workers={workers}"] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def report(result: dict) -> None:
    print(f"command: {result['command']}")
    print(
        f"articles {result['articles']} from {result['publishers_with_articles']} publishers "
        f"({result['publishers']} publishers, {result['feeds']} feeds subscribed); stable after "
        f"{result['seconds_until_stable']:.0f} s; front page first showed articles at "
        f"{result['seconds_to_first_article_on_front']} s, articles from >= 100 publishers at "
        f"{result['seconds_to_100_publishers']} s; stopped by {result['stopped_by']}"
    )
    print("| process | peak RSS (MiB) | RSS at the end (MiB) |")
    print("|---|---:|---:|")
    for p in result["processes"]:
        print(f"| {p['role']} `{p['cmd'][:60]}` | {p['peak_mib']:.0f} | {p['last_rss_mib']:.0f} |")
    print(f"| whole tree (sampled each second) | {result['peak_tree_mib']:.0f} | |")
    for name, r in (result.get("reader") or {}).items():
        if "peak_mib" in r:
            print(
                f"| reader ({name}) holding {r['feeds']} feeds, {r['entries']} entries "
                f"(update {r['update_seconds']:.1f} s) | {r['peak_mib']:.0f} "
                f"| {r['rss_after_mib']:.0f} |"
            )
        else:
            print(f"reader {name}: {r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--speed", type=float, default=10.0, help="demo clock speed-up")
    parser.add_argument("--quiet", type=float, default=75, help="seconds without new articles")
    parser.add_argument("--max-wait", type=float, default=600)
    parser.add_argument("--skip-reader", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        result = run_demo(args, Path(tmp))
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
