"""Issue 9, build clean-up: a killed build leaves no workers running and no output lost; the
temporary folders of builds that no longer run are removed at the next build."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.build import build_corpus
from corpus.store import load_processed
from tests.conftest import RAW_DIR, ROOT, SEEDS


def live_children(pid: int) -> set[int]:
    """Processes (not zombies) whose parent is `pid`, from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
        if int(ppid) == pid and state != "Z":
            found.add(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def dead_pid() -> int:
    """The pid of a process that has exited."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def copy_seeds(tmp_path: Path, keys=("000", "004")) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for key in keys:
        shutil.copy(RAW_DIR / f"{SEEDS[key]}.txt", raw)
    return raw


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.mark.skipif(sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2, reason="workers need Linux and 2 cores")
def test_workers_die_with_a_killed_build(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for copy in range(12):  # the seeds under new names (a trailing newline apiece keeps their hashes apart)
        for key, stem in SEEDS.items():
            text = (RAW_DIR / f"{stem}.txt").read_text(encoding="utf-8")
            (raw / f"copy{copy:02d}_{key}.txt").write_text(text + "\n" * (copy + 1), encoding="utf-8")
    build = subprocess.Popen([sys.executable, "-m", "corpus", "build", "--raw", str(raw), "--out", str(tmp_path / "out")],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline and build.poll() is None:
            workers = live_children(build.pid)
            time.sleep(0.05)
        assert workers, "the build never started its workers"
        time.sleep(0.5)  # mid-build: the workers are segmenting
        assert build.poll() is None, "the build finished before it could be killed"
        build.send_signal(signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 5
        while any(running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if running(pid)], "workers outlived the killed build"
    finally:
        for pid in workers:  # the test's own children's children: never leave them behind
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        if build.poll() is None:
            build.kill()
    assert not (tmp_path / "out").exists()  # nothing half-written took the output's place


def test_a_failed_swap_puts_the_old_output_back(tmp_path, monkeypatch):
    raw, out = copy_seeds(tmp_path), tmp_path / "processed"
    build_corpus(raw, out)
    before = tree_digest(out)
    shutil.copy(RAW_DIR / f"{SEEDS['001']}.txt", raw)
    real_rename = Path.rename

    def crash_on_the_second_rename(self, target):
        if ".tmp-" in self.name:  # the new folder into place: the old one is already aside
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", crash_on_the_second_rename)
    with pytest.raises(OSError):
        build_corpus(raw, out)
    monkeypatch.undo()
    assert tree_digest(out) == before  # the old output, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "raw"]
    assert len(load_processed(out, None)["documents"]) == 2


def test_an_output_left_aside_by_a_killed_build_comes_back_at_the_next_load_or_build(tmp_path):
    raw, out = copy_seeds(tmp_path), tmp_path / "processed"
    build_corpus(raw, out)
    before = tree_digest(out)
    aside = tmp_path / f".processed.old-{dead_pid()}"
    out.rename(aside)  # what a build killed between its two renames leaves
    loaded = load_processed(out, raw)
    assert tree_digest(out) == before and len(loaded["documents"]) == 2
    assert not aside.exists()
    out.rename(aside)
    build_corpus(raw, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "raw"]


def test_stale_temporary_folders_go_at_the_next_build_and_a_running_builds_stay(tmp_path):
    raw, out = copy_seeds(tmp_path), tmp_path / "processed"
    build_corpus(raw, out)
    gone = dead_pid()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for name in (f".processed.tmp-{gone}", f".processed.old-{gone}", f".processed.tmp-{sleeper.pid}"):
            (tmp_path / name).mkdir()
            shutil.copy(RAW_DIR / f"{SEEDS['004']}.txt", tmp_path / name)  # ~ a half-written table
        build_corpus(raw, out)
        assert sorted(p.name for p in tmp_path.iterdir()) == [f".processed.tmp-{sleeper.pid}", "processed", "raw"]
    finally:
        sleeper.kill()
        sleeper.wait()
