"""Refresh throughput, end to end into the database: Newsstand against lemon24/reader.

2,000 real-shaped feeds (bench/feedgen.py, ~80k entries) served by nginx on 127.0.0.1 in
its own process (static files: ETag, Last-Modified, 304 on If-None-Match, keep-alive); an
aiohttp static server in a child process when nginx is not installed. Each tool runs a
first round (every entry new) and a second round (every feed answers 304) on its own fresh
SQLite database. Every round is a separate process, timed from outside as wall time.

    .venv/bin/python bench/refresh_throughput.py [--feeds 2000] [--batches 200,2000]
        [--reader-workers 1,8] [--skip-reader] [--json OUT.json]

reader runs from its own virtual environment (never from ours):

    python3 -m venv /tmp/bench-reader-venv && /tmp/bench-reader-venv/bin/pip install reader sgmllib3k

(reader 3.26 vendors a feedparser that imports ``sgmllib``; feedparser's own releases moved
to ``feedparser-sgmllib``, so a fresh install may lack the module without ``sgmllib3k``)

(or point READER_PYTHON at another interpreter that has it).

Newsstand gets NEWSSTAND_FETCH_PER_HOST=16, since all 2,000 "publishers" share one host
here (its default of 2 is politeness towards one real publisher), and
NEWSSTAND_ALLOW_NETWORKS=127.0.0.1/32 so its SSRF guard lets it reach loopback.
Between rounds the bench makes every feed due again (next_fetch_at = NULL, by SQL).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import feedgen  # noqa: E402

NEWSSTAND = ROOT / ".venv" / "bin" / "newsstand"
READER_PYTHON = Path(os.environ.get("READER_PYTHON", "/tmp/bench-reader-venv/bin/python"))
TARGET = {1: 8.0, 2: 4.0}  # reader seconds / Newsstand seconds, per round

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    client_body_temp_path {dir}/tmp;
    proxy_temp_path {dir}/tmp;
    fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp;
    scgi_temp_path {dir}/tmp;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        root {root};
    }}
}}
"""

AIOHTTP_SERVER = """
import sys
from aiohttp import web
app = web.Application()
app.router.add_static("/feeds", sys.argv[1] + "/feeds")
web.run_app(app, host="127.0.0.1", port=int(sys.argv[2]), access_log=None, print=None)
"""

READER_ROUND = """
import json, sys, time
from reader import make_reader
db, urls_file, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
reader = make_reader(db)
urls = open(urls_file).read().split()
if not list(reader.get_feeds(limit=1)):
    for url in urls:
        reader.add_feed(url, exist_ok=True)
before = reader.get_entry_counts().total
start = time.perf_counter()
reader.update_feeds(workers=workers, scheduled=False)  # every feed, due or not
seconds = time.perf_counter() - start
after = reader.get_entry_counts().total
errors = sum(1 for f in reader.get_feeds() if f.last_exception)
print(json.dumps({"update_seconds": seconds, "new": after - before, "total": after,
                  "errors": errors}))
"""


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


def wait_for_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"feed server did not start on port {port}")


def start_server(root: Path, work: Path) -> tuple[subprocess.Popen[bytes], int, str]:
    port = free_port()
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if nginx:
        (work / "tmp").mkdir(exist_ok=True)
        conf = work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=work, port=port, root=root))
        proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(work)])
        version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
        kind = f"{version} (1 worker process)"
    else:
        script = work / "static_server.py"
        script.write_text(AIOHTTP_SERVER)
        python = ROOT / ".venv" / "bin" / "python"
        proc = subprocess.Popen([str(python), str(script), str(root), str(port)])
        kind = "aiohttp static server (nginx not installed)"
    wait_for_port(port)
    return proc, port, kind


CPU_SECONDS: list[
    float
] = []  # CPU time (user + system) of each timed command, its children included


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Run ``cmd``; its wall time and output (its CPU time goes to ``CPU_SECONDS``)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    CPU_SECONDS.append(_children_cpu() - cpu)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, done.stdout


COMPILE = """
import compileall, os, sys
for path in sys.path:
    if os.path.isdir(path) and not path.startswith(sys.base_prefix):
        compileall.compile_dir(path, quiet=1, workers=0)
"""


def compile_bytecode(env: dict[str, str]) -> float:
    """Write the bytecode caches of Newsstand's environment, as pip does at install.

    uv does not by default, and a machine with PYTHONDONTWRITEBYTECODE set never writes
    them: every process would then compile its imports again (measured: 0.6 s of CPU per
    `newsstand` process, 0.3 s per parsing worker). reader's venv, made by pip, has them.
    """
    started = time.perf_counter()
    python = ROOT / ".venv" / "bin" / "python"
    subprocess.run([str(python), "-c", COMPILE], env=env, check=True)
    return time.perf_counter() - started


def newsstand_env(data_dir: Path, batch: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="newsstand.settings",
        NEWSSTAND_DATA_DIR=str(data_dir),
        NEWSSTAND_ALLOW_NETWORKS="127.0.0.1/32",
        NEWSSTAND_FETCH_PER_HOST="16",
        NEWSSTAND_REFRESH_BATCH=str(batch),
        NEWSSTAND_SECRET_KEY="bench-only-not-secret-" + "x" * 40,
    )
    env.pop("DATABASE_URL", None)
    return env


def db_count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


def run_newsstand(work: Path, opml: Path, batch: int, expected: int, feeds: int) -> list[dict]:
    data = work / f"newsstand-{batch}"
    env = newsstand_env(data, batch)
    db = data / "newsstand.sqlite3"
    print(f"  bytecode caches written in {compile_bytecode(env):.1f} s")
    migrate_s, _ = timed([str(NEWSSTAND), "migrate"], env)
    noop_s, _ = timed([str(NEWSSTAND), "migrate"], env)
    import_s, out = timed([str(NEWSSTAND), "import-opml", str(opml)], env)
    print(
        f"  newsstand batch {batch}: migrate {migrate_s:.2f} s (fresh), {noop_s:.2f} s "
        f"(nothing to do); import-opml {import_s:.2f} s: {out.strip()}"
    )
    rows = []
    for round_no in (1, 2):
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE sources_feed SET next_fetch_at = NULL")
        load = os.getloadavg()[0]
        seconds, out = timed([str(NEWSSTAND), "refresh"], env)
        cpu = CPU_SECONDS[-1]
        report = json.loads(out.strip().splitlines()[-1])
        stored = db_count(db, "SELECT COUNT(*) FROM articles_article")
        print(
            f"  newsstand batch {batch} round {round_no}: {seconds:.2f} s (CPU {cpu:.2f} s) "
            f"{json.dumps(report)}; "
            f"articles in db {stored}"
        )
        ok = (
            stored == expected and report["new_articles"] == expected and report["updated"] == feeds
            if round_no == 1
            else stored == expected
            and report["new_articles"] == 0
            and report["not_modified"] == feeds
        )
        rows.append(
            {
                "tool": f"newsstand (batch {batch})",
                "round": round_no,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "load": load,
                "new": report["new_articles"],
                "not_modified": report["not_modified"],
                "failed": report["failed"],
                "stored": stored,
                "verified": ok,
                "startup_migrate_noop_s": noop_s,
            }
        )
    return rows


def run_reader(work: Path, urls: list[str], workers: int, expected: int) -> list[dict]:
    script = work / "reader_round.py"
    script.write_text(textwrap.dedent(READER_ROUND))
    urls_file = work / "urls.txt"
    urls_file.write_text("\n".join(urls))
    db = work / f"reader-{workers}.sqlite"
    rows = []
    for round_no in (1, 2):
        cmd = [str(READER_PYTHON), str(script), str(db), str(urls_file), str(workers)]
        load = os.getloadavg()[0]
        seconds, out = timed(cmd, dict(os.environ))
        cpu = CPU_SECONDS[-1]
        result = json.loads(out.strip().splitlines()[-1])
        print(
            f"  reader workers={workers} round {round_no}: {seconds:.2f} s (CPU {cpu:.2f} s) "
            f"{json.dumps(result)}"
        )
        ok = result["total"] == expected and (round_no == 1 or result["new"] == 0)
        rows.append(
            {
                "tool": f"reader {reader_version()} (workers={workers})",
                "round": round_no,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "load": load,
                "update_seconds": result["update_seconds"],
                "new": result["new"],
                "stored": result["total"],
                "failed": result["errors"],
                "verified": ok,
            }
        )
    return rows


def reader_version() -> str:
    done = subprocess.run(
        [str(READER_PYTHON), "-c", "import reader; print(reader.__version__)"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or "?"


def machine() -> dict[str, str]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def table(rows: list[dict], feeds: int, entries: int) -> str:
    """One line per run; ratios against the best reader run of the same round."""
    best: dict[int, float] = {}
    best_cpu: dict[int, float] = {}
    for r in rows:
        if r["tool"].startswith("reader"):
            best[r["round"]] = min(best.get(r["round"], 1e9), r["seconds"])
            best_cpu[r["round"]] = min(best_cpu.get(r["round"], 1e9), r["cpu_seconds"])
    lines = [
        "| tool | round | seconds | CPU s | feeds/s | entries/s | reader / this (wall) "
        "| reader / this (CPU) | target | load | verified |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        per_entry = entries / r["seconds"] if r["round"] == 1 else 0
        is_ns = r["tool"].startswith("newsstand")
        ratio = f"{best[r['round']] / r['seconds']:.2f}x" if is_ns and best else "—"
        cpu_ratio = f"{best_cpu[r['round']] / r['cpu_seconds']:.2f}x" if is_ns and best else "—"
        target = f"≥ {TARGET[r['round']]:.0f}x" if is_ns else "—"
        lines.append(
            f"| {r['tool']} | {r['round']} ({'new' if r['round'] == 1 else '304'}) "
            f"| {r['seconds']:.2f} | {r['cpu_seconds']:.2f} | {feeds / r['seconds']:.0f} "
            f"| {per_entry:.0f} | {ratio} | {cpu_ratio} | {target} | {r.get('load', 0):.1f} "
            f"| {'yes' if r['verified'] else 'NO'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--batches", default="200,2000", help="NEWSSTAND_REFRESH_BATCH values")
    parser.add_argument("--reader-workers", default="1,8", help="reader update_feeds workers")
    parser.add_argument("--skip-reader", action="store_true")
    parser.add_argument("--skip-newsstand", action="store_true")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--repeat", type=int, default=1, help="run every tool this many times, in turn"
    )
    args = parser.parse_args()
    if not args.skip_reader and not READER_PYTHON.exists():
        print(
            f"reader not found at {READER_PYTHON}. Create its own venv:\n"
            "  python3 -m venv /tmp/bench-reader-venv && "
            "/tmp/bench-reader-venv/bin/pip install reader\n"
            "or set READER_PYTHON, or pass --skip-reader.",
            file=sys.stderr,
        )
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    work.chmod(0o755)  # nginx's worker runs as an unprivileged user when started by root
    started = time.perf_counter()
    counts = feedgen.generate(work / "site", args.feeds)
    print(f"generated {counts} in {time.perf_counter() - started:.1f} s under {work}")
    server, port, server_kind = start_server(work / "site", work)
    rows: list[dict] = []
    try:
        base = f"http://127.0.0.1:{port}/"
        opml = work / "feeds.opml"
        opml.write_bytes(feedgen.opml_for(base, args.feeds))
        urls = [base + feedgen.feed_path(n) for n in range(args.feeds)]
        print(f"serving with {server_kind} at {base}")
        for attempt in range(args.repeat):
            run_dir = work / f"run-{attempt}"
            run_dir.mkdir()
            if not args.skip_newsstand:
                for batch in (int(b) for b in args.batches.split(",") if b):
                    rows += run_newsstand(run_dir, opml, batch, counts["entries"], args.feeds)
            if not args.skip_reader:
                for workers in (int(w) for w in args.reader_workers.split(",") if w):
                    rows += run_reader(run_dir, urls, workers, counts["entries"])
    finally:
        server.terminate()
        server.wait(10)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    info = machine()
    print()
    print(
        f"machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, "
        f"Python {info['python']}, Linux {info['kernel']}; server: {server_kind}"
    )
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"feeds: {args.feeds}, entries: {counts['entries']}, bytes: {counts['bytes']}")
    print(table(rows, args.feeds, counts["entries"]))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": info, "server": server_kind, "counts": counts, "rows": rows}, indent=1
            )
        )
    return 0 if all(r["verified"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
