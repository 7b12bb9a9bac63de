"""Starting Ray for `score --engine ray`, or joining a running cluster with its token.

Without an address Ray starts on this machine. With ``--ray-address HOST:PORT``
(or ``$RAY_ADDRESS``) the driver joins the cluster whose head was started with
``ray start --head --port PORT``. Three things make that work with Ray 2.59 and
later, where clusters started on one machine require a token:

- the token: Ray turns token mode on in a driver only when it finds the local
  cluster itself, never for an explicit address, so here it is turned on
  whenever a token is where Ray documents it: ``$RAY_AUTH_TOKEN``, the file
  named by ``$RAY_AUTH_TOKEN_PATH``, or ``~/.ray/auth_token`` (``ray
  get-auth-token`` on the head prints it). ``$RAY_AUTH_MODE``, when set, wins;
- this node's address: ``--ray-node-ip``, else the address this machine uses to
  reach the head (127.0.0.1 for a head on loopback), never a guess from the
  machine's default route;
- a bounded wait: the head is probed with one TCP connect first, and Ray gets a
  few seconds, not its usual twenty, to accept the token; a failure is one line
  that names the fix (a :class:`~quoteframe.errors.ClusterError`, exit code 2).
"""
from __future__ import annotations

import os
import re
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path

from quoteframe.errors import ClusterError, ModelError

PROBE_TIMEOUT_S = 5  # one TCP connect to the head
JOIN_WAIT_S = 5  # Ray's retries of the first GCS call (its default is 20, about a second each)
_HOST_PORT = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.\-]+):(?P<port>\d{1,5})$")


def start_ray(address: str | None = None, node_ip: str | None = None):
    """The ``ray`` module, joined to the cluster at ``address`` (else ``$RAY_ADDRESS``) or started here.

    >>> start_ray("127.0.0.1:notaport")                                # doctest: +ELLIPSIS
    Traceback (most recent call last):
    quoteframe.errors.ClusterError: --ray-address '127.0.0.1:notaport' is not HOST:PORT...
    """
    named = "--ray-address" if address else "RAY_ADDRESS"  # where the address came from, for the messages
    address = address or os.environ.get("RAY_ADDRESS") or None
    if address in (None, "local"):
        ray = _import_ray()
        _init(ray, address=None)
        return ray
    if address == "auto":  # Ray finds the cluster started on this machine, and its token, itself
        ray = _import_ray()
        _join(ray, "auto", None, token_source())
        return ray
    host, port = parse_address(address, named)
    _probe(host, port, address, named)
    token = _use_token()  # before Ray is imported: Ray reads RAY_AUTH_MODE once, on import
    ray = _import_ray()
    _join(ray, address, node_ip or node_ip_towards(host, port), token)
    return ray


def parse_address(address: str, named: str = "--ray-address") -> tuple[str, int]:
    """``HOST:PORT`` as ``(host, port)``; a :class:`ClusterError` naming the expected form otherwise."""
    match = _HOST_PORT.match(address.strip())
    if match is None or not 0 < int(match["port"]) < 65536:
        raise ClusterError(f"{named} {address!r} is not HOST:PORT: give the address of the head node and "
                           "the port it was started with (`ray start --head --port 6379` prints it), e.g. 127.0.0.1:6379")
    return match["host"].strip("[]"), int(match["port"])


def node_ip_towards(host: str, port: int) -> str:
    """This machine's address on the route to ``host``: what the head sees (127.0.0.1 for loopback)."""
    family, kind, _, _, where = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
    with socket.socket(family, kind) as udp:
        udp.connect(where)  # a UDP connect sends nothing: it only picks the route
        return udp.getsockname()[0]


def token_source() -> str | None:
    """Where Ray will read its token from, in Ray's order; ``None`` when there is none."""
    if os.environ.get("RAY_AUTH_TOKEN", "").strip():
        return "RAY_AUTH_TOKEN"
    named = os.environ.get("RAY_AUTH_TOKEN_PATH")
    if named:
        _check_token_file(Path(named).expanduser())
        return f"RAY_AUTH_TOKEN_PATH ({named})"
    default = Path.home() / ".ray" / "auth_token"
    if default.is_file() and default.read_text(encoding="utf-8", errors="replace").strip():
        return str(default)
    return None


def _check_token_file(path: Path) -> None:
    """Ray aborts the process on an unreadable or empty token file: say so first."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        raise ClusterError(f"RAY_AUTH_TOKEN_PATH names {path}, which cannot be read ({err.strerror}): point it at "
                           "a file holding the cluster's token (`ray get-auth-token` on the head prints it)") from None
    if not text.strip():
        raise ClusterError(f"RAY_AUTH_TOKEN_PATH names {path}, which is empty: put the cluster's token in it "
                           "(`ray get-auth-token` on the head prints it)")


def _use_token() -> str | None:
    source = token_source()
    if source is not None and "RAY_AUTH_MODE" not in os.environ:
        os.environ["RAY_AUTH_MODE"] = "token"
    return source


def _probe(host: str, port: int, address: str, named: str) -> None:
    """One TCP connect: a head that is down or unreachable is told in seconds, not after Ray's retries."""
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT_S):
            pass
    except socket.gaierror:
        raise ClusterError(f"{named} {address}: this machine cannot resolve the host {host!r}; "
                           "give the head node's IP address or a name it resolves") from None
    except OSError as err:
        reason = "timed out" if isinstance(err, TimeoutError) else (err.strerror or type(err).__name__).lower()
        raise ClusterError(f"no Ray head answers at {address} ({reason}): start one there with "
                           f"`ray start --head --port {port}`, or give the address it prints with {named}") from None


def _join(ray, address: str, node_ip: str | None, token: str | None) -> None:
    os.environ.setdefault("RAY_gcs_server_port_wait_time_s", str(JOIN_WAIT_S))
    extra = {"_node_ip_address": node_ip} if node_ip else {}
    try:
        with _quiet_stderr():  # Ray's C++ client logs one warning a retry; the reason is in the exception
            _init(ray, address=address, **extra)
    except Exception as err:  # noqa: BLE001 - Ray raises ConnectionError, RuntimeError, ValueError...
        raise ClusterError(_join_failure(err, address, node_ip, token)) from None


def _join_failure(err: BaseException, address: str, node_ip: str | None, token: str | None) -> str:
    """One line from what Ray raised: which of token, node or head is wrong, and the fix."""
    said = _chain_text(err)
    if "InvalidAuthToken" in said or "AuthenticationError" in said:
        return _token_failure(address, token)
    if "No node info found matching" in said or "Raylet addresses" in said:  # after Ray's 60 s search
        return (f"this machine ({node_ip}) is not a node of the Ray cluster at {address}: run quoteframe on a "
                f"node of the cluster (or make this one a node: `ray start --address {address}`), or give "
                "--ray-node-ip the address this node joined with")
    last = said.strip().splitlines()[-1] if said.strip() else type(err).__name__
    return (f"cannot join Ray at {address} ({last[:200]}): is that the head's GCS port (`ray start --head "
            "--port`), and does the cluster run the same Ray version as this machine?")


def _token_failure(address: str, token: str | None) -> str:
    fix = ("copy the head's token (`ray get-auth-token` on the head prints it) into ~/.ray/auth_token, "
           "or set RAY_AUTH_TOKEN, or RAY_AUTH_TOKEN_PATH to a file holding it")
    if os.environ.get("RAY_AUTH_MODE", "").lower() == "disabled":
        return f"the Ray cluster at {address} requires a token but RAY_AUTH_MODE=disabled: unset it and {fix}"
    if token is None:
        return f"the Ray cluster at {address} requires a token and none was found: {fix}"
    return f"the Ray cluster at {address} refused the token from {token}: {fix}"


def _chain_text(err: BaseException) -> str:
    parts, seen = [], set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        parts.append(f"{type(err).__name__}: {err}")
        err = err.__cause__ or err.__context__
    return "\n".join(parts)


def _init(ray, **kwargs) -> None:
    if ray.is_initialized():
        return
    ray.init(include_dashboard=False, log_to_driver=False, logging_level="ERROR", **kwargs)


@contextmanager
def _quiet_stderr():
    """File descriptor 2 into a scratch file while Ray connects, where its C++ client writes."""
    saved = os.dup(2)
    try:
        with tempfile.TemporaryFile() as scratch:
            os.dup2(scratch.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _import_ray():
    try:
        import ray
    except ImportError:
        raise ModelError("the ray engine needs Ray: pip install 'quoteframe[ray]'") from None
    return ray
