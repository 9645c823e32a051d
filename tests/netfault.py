"""A real TCP proxy on loopback that breaks and slows connections, for sync fault tests.

    with NetFaultProxy(("127.0.0.1", server.port), seed=7, cut_probability=1.0,
                       up_cut=(0, 20_000), down_cut=(0, 40_000)) as proxy:
        url = proxy.url()            # https://127.0.0.1:<proxy port>: enroll the device here
        ...                          # every connection is cut after a random number of bytes
        proxy.configure(cut_probability=0.0)   # live: the next connections go through clean
        proxy.stats()                # connections, cuts per direction, bytes per direction

It forwards raw bytes (TLS passes through untouched: the server's certificate names the host,
not the port, so a device pinned through the proxy trusts the server behind it). Per accepted
connection it draws, from one seeded `random.Random` (the same seed and the same order of
connections give the same cuts), whether to cut it (`cut_probability`), in which direction
(`up` = device to server, `down` = server to device, `cut_direction` or a fair coin) and after
how many bytes of that direction (uniform in `up_cut` / `down_cut`, counted from the start of
the connection, TLS handshake included). At that byte the proxy forwards exactly the bytes
before it and then closes both sides (the device side with a TCP reset).

Link emulation, all optional: `bandwidth_bps` caps each direction of the whole link (a token
bucket shared by all connections, like one radio link); `rtt` adds rtt/2 of one-way delay to
the first chunk of every burst (a chunk arriving after the direction was idle for rtt/2), which
is what a request/response protocol feels of latency; `chunk_delay` sleeps before forwarding
every chunk; `cut_every` cuts every open connection each that many seconds.

Bounded: at most `max_connections` at once (more are refused by closing them), two threads per
connection plus the acceptor (and the periodic cutter). Only 127.0.0.1 is ever dialled.
`stop()` closes everything and joins the threads.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from types import TracebackType
from typing import Literal, TypedDict, Unpack

Direction = Literal["up", "down"]
LOOPBACK = "127.0.0.1"
READ_SIZE = 16 * 1024


@dataclass(frozen=True)
class FaultPlan:
    """What the proxy does to new connections; `NetFaultProxy.configure` replaces fields."""

    cut_probability: float = 0.0
    up_cut: tuple[int, int] = (0, 16_384)
    down_cut: tuple[int, int] = (0, 65_536)
    cut_direction: Direction | None = None  # None: a fair coin per cut connection
    chunk_delay: float = 0.0
    bandwidth_bps: int | None = None  # bits per second, each direction
    rtt: float = 0.0
    cut_every: float | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.cut_probability <= 1.0:
            raise ValueError("cut_probability must be within [0, 1]")
        for lo, hi in (self.up_cut, self.down_cut):
            if not 0 <= lo <= hi:
                raise ValueError("a cut range is (low, high) with 0 <= low <= high")
        if self.chunk_delay < 0 or self.rtt < 0:
            raise ValueError("delays cannot be negative")
        if self.bandwidth_bps is not None and self.bandwidth_bps <= 0:
            raise ValueError("bandwidth_bps must be positive")
        if self.cut_every is not None and self.cut_every <= 0:
            raise ValueError("cut_every must be positive")


class PlanChanges(TypedDict, total=False):
    """Fields of a `FaultPlan` given by name (to `NetFaultProxy` and its `configure`)."""

    cut_probability: float
    up_cut: tuple[int, int]
    down_cut: tuple[int, int]
    cut_direction: Direction | None
    chunk_delay: float
    bandwidth_bps: int | None
    rtt: float
    cut_every: float | None


@dataclass
class ProxyStats:
    connections: int = 0
    refused: int = 0
    cuts_up: int = 0
    cuts_down: int = 0
    periodic_cuts: int = 0
    bytes_up: int = 0
    bytes_down: int = 0

    @property
    def cuts(self) -> int:
        return self.cuts_up + self.cuts_down + self.periodic_cuts


class _Pacer:
    """A token bucket for one direction of the link (bytes per second); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next_free = 0.0

    def wait(self, nbytes: int, bandwidth_bps: int | None, stopping: threading.Event) -> None:
        if bandwidth_bps is None:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_free)
            self._next_free = start + nbytes * 8 / bandwidth_bps
            until = self._next_free
        stopping.wait(max(0.0, until - time.monotonic()))


@dataclass(eq=False)
class _Connection:
    client: socket.socket
    upstream: socket.socket
    cut_direction: Direction | None
    cut_at: int
    sent: dict[str, int] = field(default_factory=lambda: {"up": 0, "down": 0})
    finished: set[str] = field(default_factory=set)
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0), so the peer sees the cut at once; a thread blocked
    reading the socket wakes up (shutdown of the read side first)."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RD)
    with contextlib.suppress(OSError):
        sock.close()


def _close_quietly(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


class NetFaultProxy:
    """See the module docstring. Thread-safe; `configure` and `set_upstream` work live."""

    def __init__(
        self,
        upstream: tuple[str, int],
        *,
        seed: int = 0,
        max_connections: int = 32,
        connect_timeout: float = 5.0,
        **plan: Unpack[PlanChanges],
    ) -> None:
        self._check_loopback(upstream[0])
        self._upstream = (LOOPBACK, int(upstream[1]))
        self._plan = FaultPlan(**plan)
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._stats = ProxyStats()
        self._max = max_connections
        self._connect_timeout = connect_timeout
        self._conns: set[_Connection] = set()
        self._threads: set[threading.Thread] = set()
        self._pacers: dict[str, _Pacer] = {"up": _Pacer(), "down": _Pacer()}
        self._last_chunk: dict[tuple[int, str], float] = {}
        self._stopping = threading.Event()
        self._changed = threading.Condition(self._lock)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((LOOPBACK, 0))
        self._listener.listen(64)
        self.port: int = self._listener.getsockname()[1]
        self._acceptor: threading.Thread | None = None
        self._cutter: threading.Thread | None = None

    @staticmethod
    def _check_loopback(host: str) -> None:
        if host not in (LOOPBACK, "localhost"):
            raise ValueError("NetFaultProxy forwards to 127.0.0.1 only")

    # -- lifecycle --

    def start(self) -> NetFaultProxy:
        if self._acceptor is None:
            self._acceptor = threading.Thread(target=self._accept_loop, name="netfault-accept")
            self._acceptor.daemon = True
            self._acceptor.start()
            self._cutter = threading.Thread(target=self._cut_loop, name="netfault-cutter")
            self._cutter.daemon = True
            self._cutter.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, cut every open connection and join all threads."""
        self._stopping.set()
        _close_quietly(self._listener)  # shutdown wakes the thread blocked in accept()
        with self._lock:
            conns = list(self._conns)
            self._changed.notify_all()
        for conn in conns:
            self._close(conn)
        deadline = time.monotonic() + timeout
        for thread in [self._acceptor, self._cutter, *self._threads_snapshot()]:
            if thread is not None and thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> NetFaultProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- control --

    def url(self, scheme: str = "https") -> str:
        return f"{scheme}://{LOOPBACK}:{self.port}"

    @property
    def plan(self) -> FaultPlan:
        with self._lock:
            return self._plan

    def configure(self, **changes: Unpack[PlanChanges]) -> FaultPlan:
        """Replace fields of the plan; applies to connections accepted from now on (bandwidth,
        delays and latency apply at once to open ones too)."""
        with self._lock:
            self._plan = replace(self._plan, **changes)
            self._changed.notify_all()
            return self._plan

    def set_upstream(self, port: int, host: str = LOOPBACK) -> None:
        """Forward new connections to another port (a restarted server)."""
        self._check_loopback(host)
        with self._lock:
            self._upstream = (LOOPBACK, int(port))

    def stats(self) -> ProxyStats:
        with self._lock:
            return replace(self._stats)

    def reset_stats(self) -> None:
        with self._lock:
            self._stats = ProxyStats()

    def open_connections(self) -> int:
        with self._lock:
            return len(self._conns)

    def cut_all(self) -> int:
        """Cut every open connection now; returns how many."""
        with self._lock:
            conns = [c for c in self._conns if not c.closed]
            self._stats.periodic_cuts += len(conns)
        for conn in conns:
            self._close(conn)
        return len(conns)

    def wait_until(self, predicate: Callable[[ProxyStats], bool], timeout: float) -> bool:
        """Wait (bounded) until `predicate(stats)` holds; whether it did."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate(self._stats):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.05))
            return True

    # -- internals --

    def _threads_snapshot(self) -> list[threading.Thread]:
        with self._lock:
            return list(self._threads)

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=self._run_tracked(target), name=name, daemon=True)
        with self._lock:
            self._threads.add(thread)
        thread.start()

    def _run_tracked(self, target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            finally:
                with self._lock:
                    self._threads.discard(threading.current_thread())

        return run

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                full = len(self._conns) >= self._max
                if full:
                    self._stats.refused += 1
            if full:
                _reset(client)
                continue
            self._spawn(partial(self._open, client), "netfault-open")

    def _open(self, client: socket.socket) -> None:
        with self._lock:
            plan, upstream = self._plan, self._upstream
            direction: Direction | None = None
            cut_at = -1
            if plan.cut_probability > 0 and self._rng.random() < plan.cut_probability:
                direction = plan.cut_direction or self._rng.choice(("up", "down"))
                lo, hi = plan.up_cut if direction == "up" else plan.down_cut
                cut_at = self._rng.randint(lo, hi)
        try:
            server = socket.create_connection(upstream, timeout=self._connect_timeout)
            server.settimeout(None)
        except OSError:
            _reset(client)  # the server is down: the device sees the connection refused
            return
        for sock in (client, server):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = _Connection(client, server, direction, cut_at)
        with self._lock:
            if self._stopping.is_set():
                stop_now = True
            else:
                stop_now = False
                self._conns.add(conn)
                self._stats.connections += 1
                self._changed.notify_all()
        if stop_now:
            _reset(client)
            _reset(server)
            return
        self._spawn(lambda: self._pump(conn, "down"), "netfault-down")
        self._pump(conn, "up")

    def _pump(self, conn: _Connection, direction: Direction) -> None:
        src, dst = (
            (conn.client, conn.upstream) if direction == "up" else (conn.upstream, conn.client)
        )
        key = (id(conn), direction)
        try:
            while True:
                plan = self.plan
                size = READ_SIZE
                if plan.bandwidth_bps is not None:  # small pieces, so pacing is smooth
                    size = max(256, min(READ_SIZE, plan.bandwidth_bps // 8 // 20))
                try:
                    data = src.recv(size)
                except OSError:
                    break
                if not data:
                    with contextlib.suppress(OSError):
                        dst.shutdown(socket.SHUT_WR)
                    with conn.lock:
                        conn.finished.add(direction)
                        both = len(conn.finished) == 2
                    if not both:
                        return  # half close; the other direction may still be talking
                    break
                self._delay(key, len(data), direction, plan)
                cut = False
                if conn.cut_direction == direction:
                    room = conn.cut_at - conn.sent[direction]
                    if room < len(data):
                        data, cut = data[: max(0, room)], True
                try:
                    if data:
                        dst.sendall(data)
                except OSError:
                    break
                with self._lock:
                    conn.sent[direction] += len(data)
                    if direction == "up":
                        self._stats.bytes_up += len(data)
                    else:
                        self._stats.bytes_down += len(data)
                    if cut:
                        if direction == "up":
                            self._stats.cuts_up += 1
                        else:
                            self._stats.cuts_down += 1
                        self._changed.notify_all()
                if cut:
                    break
        finally:
            self._last_chunk.pop(key, None)
        self._close(conn)

    def _delay(self, key: tuple[int, str], nbytes: int, direction: str, plan: FaultPlan) -> None:
        now = time.monotonic()
        wait = plan.chunk_delay
        if plan.rtt > 0:
            last = self._last_chunk.get(key)
            if last is None or now - last >= plan.rtt / 2:
                wait += plan.rtt / 2  # first chunk of a burst: one-way propagation delay
        if wait > 0:
            self._stopping.wait(wait)
        self._pacers[direction].wait(nbytes, plan.bandwidth_bps, self._stopping)
        self._last_chunk[key] = time.monotonic()

    def _close(self, conn: _Connection) -> None:
        with conn.lock:
            if conn.closed:
                return
            conn.closed = True
        _reset(conn.client)
        _close_quietly(conn.upstream)
        with self._lock:
            self._conns.discard(conn)
            self._changed.notify_all()

    def _cut_loop(self) -> None:
        last = time.monotonic()
        while not self._stopping.is_set():
            every = self.plan.cut_every
            if every is None:
                with self._lock:
                    self._changed.wait(0.5)
                last = time.monotonic()
                continue
            if self._stopping.wait(max(0.0, min(0.5, last + every - time.monotonic()))):
                return
            if time.monotonic() - last >= every:
                self.cut_all()
                last = time.monotonic()
