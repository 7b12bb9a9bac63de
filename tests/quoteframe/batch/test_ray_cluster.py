"""`score --engine ray` joining a real two-node Ray cluster on loopback, bad cluster set-ups, kill -9 and rerun.

The cluster is bench/loopback_cluster.py: a head and a worker node started
with ``ray start`` in a network namespace whose only interface is loopback,
with token authentication on. Drivers join that namespace with ``nsenter``.
"""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from quoteframe.batch.ray_cluster import node_ip_towards
from quoteframe.cli import main
from training.train import build_default_model
from tests.conftest import REPO
from tests.last_digit import same_but_the_last_digit

CLUSTER_UP_S = 420  # two `ray start`s on a loaded 2-core machine
RUN_S = 900  # one scoring run of a small archive, model loads included


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


loopback_cluster = _load("loopback_cluster")
make_archive = _load("make_archive")


class Running:
    """The cluster of a ``loopback_cluster.py --serve`` process, and how to run a driver beside it."""

    def __init__(self, info: dict):
        self.info = info
        self.address = info["address"]

    def command(self, args: list[str]) -> list[str]:
        """``args`` run in the cluster's namespaces (the driver must be on a node: here, beside them)."""
        return ["nsenter", "--target", str(self.info["pid"]), "--user", "--net", "--preserve-credentials", "--", *args]

    def env(self, **changes: str | None) -> dict[str, str]:
        """A user's environment: the token file, no address, token mode left for quoteframe to turn on;
        ``changes`` on top (``None``: leave the variable out)."""
        env = {k: v for k, v in os.environ.items() if k not in ("RAY_ADDRESS", "RAY_AUTH_MODE", "RAY_AUTH_TOKEN")}
        env.update(PYTHONPATH=str(REPO), OMP_NUM_THREADS="1", RAY_AUTH_TOKEN_PATH=self.info["token_path"])
        env.update(changes)
        return {k: v for k, v in env.items() if v is not None}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not loopback_cluster.namespaces_available():
        pytest.skip("a loopback-only cluster needs unprivileged user and network namespaces (unshare --user --net)")
    build_default_model()  # the nodes' actors load it
    folder = tmp_path_factory.mktemp("cluster")
    ready = folder / "ready.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with open(folder / "loopback_cluster.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, str(REPO / "bench" / "loopback_cluster.py"), "--nodes", "2",
                                 "--serve", str(ready), "--max-seconds", "3600"],
                                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    info = {}
    try:
        deadline = time.monotonic() + CLUSTER_UP_S
        while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert ready.exists(), (folder / "loopback_cluster.log").read_text()[-3000:]
        info = json.loads(ready.read_text())
        yield Running(info)
    finally:
        _stop(proc, info.get("node_pids", []))


def _stop(proc: subprocess.Popen, node_pids: list[int]) -> None:
    """SIGTERM: the script stops its nodes by their PIDs; SIGKILL to every group left after a bounded wait."""
    proc.terminate()
    try:
        proc.wait(120)
    except subprocess.TimeoutExpired:
        pass
    for pid in [proc.pid, *node_pids]:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    proc.wait(30)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "articles.jsonl"
    make_archive.write_archive(path, 16, seed=5)
    return path


def score(archive: Path, out: Path, *flags: str, wrap=lambda c: c, env=None) -> subprocess.CompletedProcess:
    command = wrap([sys.executable, "-m", "quoteframe.cli", "score", str(archive), "--out", str(out), *flags])
    return subprocess.run(command, env=env or {**os.environ, "OMP_NUM_THREADS": "1"}, cwd=REPO,
                          capture_output=True, text=True, timeout=RUN_S)


def read_rows(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


@pytest.fixture(scope="module")
def local_rows(archive, tmp_path_factory) -> list[dict]:
    build_default_model()
    out = tmp_path_factory.mktemp("local") / "local.parquet"
    # fp32: in bf16 another chunking (batch shape) moves scores by more than the last digit
    done = score(archive, out, "--workers", "0", "--chunk-size", "4", "--precision", "fp32")
    assert done.returncode == 0, done.stderr[-2000:]
    rows = read_rows(out)
    assert len(rows) > 40 and any(r["tag"] for r in rows)
    return rows


# -- a real two-node cluster ----------------------------------------------------------------------
@pytest.mark.slow
def test_two_node_cluster_gives_the_rows_of_the_local_engine(cluster, archive, local_rows, tmp_path):
    out = tmp_path / "ray.parquet"
    done = score(archive, out, "--engine", "ray", "--ray-address", cluster.address, "--chunk-size", "4",
                 "--precision", "fp32", wrap=cluster.command, env=cluster.env())
    assert done.returncode == 0, done.stderr[-3000:]
    assert read_rows(out) == local_rows
    for log, folder in zip(cluster.info["node_logs"], cluster.info["node_dirs"]):
        assert "Local node IP: 127.0.0.1" in Path(log).read_text()  # never the machine's interface address
        assert _ran_a_score_actor(Path(folder)), f"no ScoreActor ran on the node in {folder}"


def _ran_a_score_actor(folder: Path) -> bool:
    """Whether a Ray worker of this node hosted a ScoreActor (Ray names the actor in its worker's log)."""
    return any("ScoreActor" in log.read_text(errors="replace")
               for log in folder.glob("session_*/logs/worker-*.out"))


@pytest.mark.slow
def test_kill_9_of_a_ray_driver_then_rerun_gives_the_rows_of_a_clean_run(cluster, archive, local_rows, tmp_path):
    out = tmp_path / "killed.parquet"
    flags = ["--engine", "ray", "--ray-address", cluster.address, "--chunk-size", "2", "--precision", "fp32"]
    command = cluster.command([sys.executable, "-m", "quoteframe.cli", "score", str(archive), "--out", str(out), *flags])
    proc = subprocess.Popen(command, env=cluster.env(), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = tmp_path / "killed.parquet.parts"
    deadline = time.monotonic() + RUN_S
    while not list(parts.glob("rows-*.parquet")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert not out.exists(), "the run ended before it could be killed midway"
    done_before = len(list(parts.glob("rows-*.parquet")))
    assert 1 <= done_before < 8

    rerun = score(archive, out, *flags, wrap=cluster.command, env=cluster.env())
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert f"{done_before} chunk(s) done before" in rerun.stderr
    resumed = read_rows(out)
    keys = [(r["article_id"], r["quote_index"]) for r in resumed]
    assert len(keys) == len(set(keys)), "a quote was written twice"
    # chunks of 2 here, of 4 for the local rows: passes of other shapes may move a score's fourth decimal
    assert same_but_the_last_digit(resumed, local_rows)


# -- bad set-ups: one line naming the fix, exit code 2 ----------------------------------------------
def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr[-3000:]
    return lines[0]


@pytest.mark.slow
@pytest.mark.parametrize("token, message", [
    ({"RAY_AUTH_TOKEN": "not-the-cluster-token"}, "refused the token from RAY_AUTH_TOKEN"),
    ({"RAY_AUTH_TOKEN_PATH": None, "HOME": "{tmp}"}, "requires a token and none was found"),  # no ~/.ray there
])
def test_a_wrong_or_missing_token_is_one_line_and_exit_2(cluster, archive, tmp_path, token, message):
    env = cluster.env(**{k: v and v.replace("{tmp}", str(tmp_path)) for k, v in token.items()})
    done = score(archive, tmp_path / "o.parquet", "--engine", "ray", "--ray-address", cluster.address,
                 wrap=cluster.command, env=env)
    line = _one_line(done.stderr)
    assert done.returncode == 2
    assert message in line and "ray get-auth-token" in line and "RAY_AUTH_TOKEN_PATH" in line


@pytest.mark.parametrize("address, message", [
    ("127.0.0.1:{free}", "no Ray head answers at 127.0.0.1:{free} (connection refused): start one there with "
                         "`ray start --head --port {free}`"),
    ("127.0.0.1", "'127.0.0.1' is not HOST:PORT"),
    ("ray-head:port", "'ray-head:port' is not HOST:PORT"),
    ("no-such-host.invalid:6379", "cannot resolve the host 'no-such-host.invalid'"),
])
def test_a_head_that_is_down_or_a_bad_address_is_one_line_and_exit_2(tmp_path, capsys, address, message):
    free = str(loopback_cluster.free_port())  # nothing listens there once the probe socket is closed
    archive = tmp_path / "in.jsonl"
    archive.write_text(json.dumps({"id": "a", "text": '"We stay," the mayor said.'}) + "\n")
    code = main(["score", str(archive), "--out", str(tmp_path / "o.parquet"), "--engine", "ray",
                 "--ray-address", address.replace("{free}", free)])
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and message.replace("{free}", free) in line
    assert not (tmp_path / "o.parquet.parts").exists()  # nothing started, nothing half-written


def test_an_address_from_ray_address_is_named_as_such(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RAY_ADDRESS", "head.example:6379:1")
    archive = tmp_path / "in.jsonl"
    archive.write_text(json.dumps({"id": "a", "text": "Calm."}) + "\n")
    code = main(["score", str(archive), "--out", str(tmp_path / "o.parquet"), "--engine", "ray"])
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and "RAY_ADDRESS 'head.example:6379:1' is not HOST:PORT" in line


def test_an_unreadable_token_file_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RAY_AUTH_TOKEN_PATH", str(tmp_path / "missing-token"))
    monkeypatch.delenv("RAY_AUTH_TOKEN", raising=False)
    with socket_listening() as port:  # a head that answers: the token is checked before Ray is asked
        archive = tmp_path / "in.jsonl"
        archive.write_text(json.dumps({"id": "a", "text": "Calm."}) + "\n")
        code = main(["score", str(archive), "--out", str(tmp_path / "o.parquet"), "--engine", "ray",
                     "--ray-address", f"127.0.0.1:{port}"])
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and f"RAY_AUTH_TOKEN_PATH names {tmp_path / 'missing-token'}, which cannot be read" in line


def test_the_driver_joins_a_loopback_head_from_the_loopback_address():
    assert node_ip_towards("127.0.0.1", 6379) == "127.0.0.1"


class socket_listening:
    """A TCP port on 127.0.0.1 that accepts connections, for as long as the ``with`` lasts."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        return self.sock.getsockname()[1]

    def __exit__(self, *exc) -> None:
        self.sock.close()
