"""A Ray cluster of N nodes on this machine, on loopback only, with token authentication.

    python bench/loopback_cluster.py --nodes 2 -- quoteframe score in.jsonl --out o.parquet \\
        --engine ray --ray-address {address}
    python bench/loopback_cluster.py --nodes 2 --serve ready.json     # until SIGTERM; see below

The cluster runs in a network namespace of its own (``unshare --user
--map-root-user --net``) whose only interface is loopback, so every address
involved is 127.0.0.1: Ray cannot register the machine's interface address
(which it does for 127.0.0.1 on a networked machine), nothing listens
outside, and no other host is reachable. The head is started with ``ray start
--head --node-ip-address 127.0.0.1``; every other node with ``ray start
--address 127.0.0.1:PORT --node-ip-address 127.0.0.1``, its own ``--temp-dir``
and its own ports. All nodes share a fresh token (``RAY_AUTH_MODE=token``,
``RAY_AUTH_TOKEN_PATH``); the command gets ``RAY_AUTH_TOKEN_PATH`` too, but not
``RAY_AUTH_MODE``: it must turn token mode on itself, as a user's driver must.

With a command, ``{address}`` in its arguments is the head's address; the
command's wall time is printed, and its exit code is this script's. With
``--serve FILE``, the script writes FILE (JSON: ``address``, ``pid``,
``token_path``, ``node_dirs``, ``node_logs``) once every node is up, then
waits for SIGTERM or SIGINT (at most ``--max-seconds``). Commands join the
cluster's namespace with ``nsenter --target PID --user --net
--preserve-credentials``. Nodes are stopped by their own PIDs, workers first,
then the head: SIGTERM, then SIGKILL to the node's process group after a
bounded wait; never ``ray stop``, which stops every Ray on the machine.
Needs util-linux's ``unshare`` and unprivileged user namespaces.
"""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

INSIDE = "QUOTEFRAME_LOOPBACK_NETNS"  # set once the script runs in its namespace
NODE_START_S = 180  # per node, on a loaded 2-core machine
NODE_STOP_S = 30
STARTED = "Ray runtime started"


@dataclass
class Node:
    process: subprocess.Popen
    folder: Path
    log: Path


@dataclass
class Cluster:
    address: str
    token_path: Path
    nodes: list[Node] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if os.environ.get(INSIDE) != "1":
        enter_namespace(argv)  # does not return
    loopback_up()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # unwinds through cluster(): the nodes are stopped
    with cluster(args.nodes, args.cpus) as running:
        if args.serve:
            return serve(running, Path(args.serve), args.max_seconds)
        return run_command(running, args.command)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--nodes", type=int, default=2, help="head plus workers (default 2)")
    p.add_argument("--cpus", type=int, default=1, help="CPUs each node offers to Ray (default 1)")
    p.add_argument("--serve", metavar="FILE", help="write FILE once the cluster is up, then wait for SIGTERM")
    p.add_argument("--max-seconds", type=float, default=1800, help="--serve stops the cluster after this long")
    p.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND ARGS... ({address}: the head)")
    args = p.parse_args(argv)
    args.command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if args.nodes < 1 or bool(args.serve) == bool(args.command):
        p.error("give --nodes 1 or more, and either --serve FILE or -- COMMAND")
    return args


# -- the namespace -------------------------------------------------------------------------------
def enter_namespace(argv: list[str]) -> None:
    """Run this script again in a user and network namespace of its own (same PID: unshare execs)."""
    if shutil.which("unshare") is None:
        sys.exit("loopback_cluster: needs util-linux's unshare")
    os.environ[INSIDE] = "1"
    command = ["unshare", "--user", "--map-root-user", "--net", "--", sys.executable, os.path.abspath(__file__), *argv]
    os.execvp("unshare", command)


def namespaces_available() -> bool:
    """Whether this machine lets an unprivileged process make the namespace (containers often do not)."""
    if shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "--user", "--map-root-user", "--net", "true"], capture_output=True, timeout=30)
    return done.returncode == 0


def loopback_up() -> None:
    """Bring ``lo`` up (a new namespace starts with it down) and check it is the only interface."""
    siocsifflags, iff_up = 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s, siocsifflags, struct.pack("16sh", b"lo", iff_up))
    names = [name for _, name in socket.if_nameindex()]
    if names != ["lo"]:
        sys.exit(f"loopback_cluster: expected loopback only in the namespace, found {names}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the cluster ---------------------------------------------------------------------------------
@contextmanager
def cluster(nodes: int, cpus: int):
    root = Path(tempfile.mkdtemp(prefix="qfray-", dir="/tmp"))  # short: Ray's socket paths live under it
    token = root / "token"
    token.write_text(secrets.token_hex(24))
    env = {k: v for k, v in os.environ.items() if k not in ("RAY_ADDRESS", "RAY_AUTH_TOKEN", INSIDE)}
    env.update(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN_PATH=str(token))
    port = free_port()
    running = Cluster(f"127.0.0.1:{port}", token)
    try:
        running.nodes.append(start_node(["--head", "--port", str(port), "--include-dashboard", "false"],
                                        root / "n0", cpus, env, worker_ports=(20000, 20999)))
        for i in range(1, nodes):
            running.nodes.append(start_node(["--address", running.address], root / f"n{i}", cpus, env,
                                            worker_ports=(20000 + 1000 * i, 20999 + 1000 * i)))
        yield running
    finally:
        for node in reversed(running.nodes):  # workers first: each drains while the head still answers
            stop_node(node)
        shutil.rmtree(root, ignore_errors=True)


def start_node(role: list[str], folder: Path, cpus: int, env: dict, worker_ports: tuple[int, int]) -> Node:
    """``ray start --block`` for one node with its own temp dir and ports; returns once it is up."""
    folder.mkdir()
    own_ports = {flag: str(free_port()) for flag in (
        "--node-manager-port", "--object-manager-port", "--dashboard-agent-listen-port",
        "--dashboard-agent-grpc-port", "--runtime-env-agent-port", "--metrics-export-port")}
    command = [ray_command(), "start", "--block", *role, "--node-ip-address", "127.0.0.1", "--temp-dir", str(folder),
               "--num-cpus", str(cpus), "--disable-usage-stats", "--min-worker-port", str(worker_ports[0]),
               "--max-worker-port", str(worker_ports[1]), *[x for pair in own_ports.items() for x in pair]]
    log = folder.with_suffix(".log")
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    node = Node(process, folder, log)
    wait_started(node)
    return node


def wait_started(node: Node) -> None:
    deadline = time.monotonic() + NODE_START_S
    while time.monotonic() < deadline:
        if STARTED in node.log.read_text(errors="replace"):
            return
        if node.process.poll() is not None:
            break
        time.sleep(0.5)
    stop_node(node)
    tail = "\n".join(node.log.read_text(errors="replace").splitlines()[-15:])
    raise RuntimeError(f"the Ray node in {node.folder} did not start within {NODE_START_S}s:\n{tail}")


def stop_node(node: Node) -> None:
    """SIGTERM to ``ray start --block`` (it stops its own processes), SIGKILL to its group if it lingers."""
    if node.process.poll() is None:
        node.process.terminate()
        try:
            node.process.wait(NODE_STOP_S)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(node.process.pid, signal.SIGKILL)  # whatever of the node's group is left
    except ProcessLookupError:
        pass
    node.process.wait(NODE_STOP_S)


def ray_command() -> str:
    beside = Path(sys.executable).with_name("ray")
    return str(beside) if beside.exists() else (shutil.which("ray") or "ray")


# -- what runs in it -------------------------------------------------------------------------------
def run_command(running: Cluster, command: list[str]) -> int:
    command = [part.replace("{address}", running.address) for part in command]
    env = {k: v for k, v in os.environ.items() if k not in ("RAY_ADDRESS", "RAY_AUTH_MODE", INSIDE)}
    env["RAY_AUTH_TOKEN_PATH"] = str(running.token_path)
    started = time.perf_counter()
    code = subprocess.run(command, env=env).returncode
    print(f"loopback_cluster: {len(running.nodes)} node(s), {time.perf_counter() - started:.1f}s wall, exit {code}: "
          + " ".join(command), file=sys.stderr, flush=True)
    return code


def serve(running: Cluster, ready: Path, max_seconds: float) -> int:
    """Write ``ready`` and wait: SIGTERM or SIGINT (or ``max_seconds``) ends the wait and stops the nodes."""
    info = {"address": running.address, "pid": os.getpid(), "token_path": str(running.token_path),
            "node_dirs": [str(n.folder) for n in running.nodes], "node_logs": [str(n.log) for n in running.nodes],
            "node_pids": [n.process.pid for n in running.nodes]}
    tmp = ready.with_name(ready.name + ".tmp")
    tmp.write_text(json.dumps(info))
    os.replace(tmp, ready)
    deadline = time.monotonic() + max_seconds
    try:
        while time.monotonic() < deadline:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
