"""Load test: concurrent Streamlit sessions cycling through every page, against a local server.

    python scripts/load.py                        # serves the app itself on 127.0.0.1, 20 clients, 60 s
    python scripts/load.py --clients 5 --seconds 20 --url http://127.0.0.1:8501
    python scripts/load.py --processed /tmp/gen1000/processed   # serve another processed corpus (sources in ../raw)

Each client is a websocket session speaking Streamlit's own protocol (what the browser sends:
a `rerun_script` BackMsg with the page and its URL query), so 20 sessions cost the server what
20 browsers would, without 20 Chromium processes on a 2-core machine. Loops are bounded in count
and time, traffic stays on loopback, and the server's RSS is sampled throughout. Any exception
element in a page's output, a dropped connection or a run that never finishes is an error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (url path, query string) pairs a user would visit; filters in the query exercise the linked views.
VISITS = [
    ("", ""),  # the default page (overview) lives at the root
    ("timeline", ""),
    ("mechanisms", ""),
    ("terms", "term=新质生产力"),
    ("policies", ""),
    ("reader", "doc=001_3f6d6f34627a8da3"),
    ("timeline", "y0=2015&y1=2025"),
    ("terms", "tdoc=002_206dd01d563a69b3&term=数据要素"),
    ("policies", "domain=talent&horizon=short"),
    ("mechanisms", "mech=能力整合机制&axis=level"),
    # a careless or hostile link: values outside every range, ids no corpus has, markup (components/guard.py)
    ("terms", "n=61&y0=3000&y1=-5&term=%5B%E7%99%BB%E5%BD%95%5D(https://evil.example)&para=%3C/script%3E"),
    ("reader", "doc=%3Cimg%20src=x%3E&para=p0001&event=x:y&domain=nope&lang=xx"),
]
RUN_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, script: str = "app.py", processed: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, **({"CORPUS_PROCESSED_DIR": str(processed.resolve())} if processed else {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless=true", f"--server.port={port}",
         "--server.address=127.0.0.1", "--browser.gatherUsageStats=false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def rerun_message(path: str, query: str) -> bytes:
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = path
    return msg.SerializeToString()


async def one_run(ws, path: str, query: str) -> tuple[float, list[str]]:
    """Ask for a page and read until its script finishes; returns (seconds, exception texts)."""
    started = time.perf_counter()
    await ws.send(rerun_message(path, query))
    errors: list[str] = []
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=RUN_TIMEOUT_S)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "exception":
                errors.append(f"{element.exception.type}: {element.exception.message}"[:200])
        elif kind == "page_not_found":
            errors.append(f"page not found: {path}")
        elif kind == "script_finished":
            return time.perf_counter() - started, errors


async def client(ws_url: str, index: int, seconds: float, max_runs: int, stats: dict) -> None:
    deadline = time.perf_counter() + seconds
    runs = 0
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                      origin=ws_url.replace("ws://", "http://").split("/_stcore")[0]) as ws:
            while time.perf_counter() < deadline and runs < max_runs:
                path, query = VISITS[(index + runs) % len(VISITS)]
                took, errors = await one_run(ws, path, query)
                stats["times"].append(took)
                stats["errors"].extend(errors)
                runs += 1
    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
        stats["errors"].append(f"client {index}: {type(exc).__name__}: {exc}"[:200])
    stats["runs"] += runs


async def drive(ws_url: str, clients: int, seconds: float, max_runs: int, pid: int | None) -> dict:
    stats: dict = {"times": [], "errors": [], "runs": 0, "rss": []}

    async def sample() -> None:
        while True:
            if pid:
                stats["rss"].append(rss_mb(pid))
            await asyncio.sleep(1)

    sampler = asyncio.create_task(sample())
    await asyncio.gather(*(client(ws_url, i, seconds, max_runs, stats) for i in range(clients)))
    sampler.cancel()
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-runs", type=int, default=200, help="per client, a bound on the loop")
    parser.add_argument("--url", help="an already running local server (default: start one on loopback)")
    parser.add_argument("--processed", type=Path, help="the processed corpus the started server serves")
    args = parser.parse_args()

    server = None
    if args.url:
        base, pid = args.url.rstrip("/"), None
        if not base.startswith(("http://127.", "http://localhost")):
            parser.error("load tests only target this machine's loopback")
    else:
        port = free_port()
        server = start_server(port, processed=args.processed)
        base, pid = f"http://127.0.0.1:{port}", server.pid
    try:
        rss_before = rss_mb(pid) if pid else 0.0
        stats = asyncio.run(drive(base.replace("http://", "ws://") + "/_stcore/stream", args.clients,
                                  args.seconds, args.max_runs, pid))
    finally:
        if server:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    times = sorted(stats["times"])
    print(f"clients (sessions) {args.clients}, {args.seconds:.0f} s: {stats['runs']} page runs, {len(stats['errors'])} errors")
    if times:
        print(f"run time  median {statistics.median(times) * 1000:.0f} ms, "
              f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")
    if stats["rss"]:
        print(f"server RSS  before {rss_before:.0f} MB, max {max(stats['rss']):.0f} MB, "
              f"end {stats['rss'][-1]:.0f} MB")
        step = max(1, len(stats["rss"]) // 6)  # a few samples show whether it levels off
        print("server RSS every", step, "s:", " ".join(f"{mb:.0f}" for mb in stats["rss"][::step]), "MB")
    for error in stats["errors"][:10]:
        print("  error:", error)
    return 1 if stats["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
