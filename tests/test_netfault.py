"""The fault-injecting proxy really cuts, delays and throttles (tests/netfault.py)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.netfault import NetFaultProxy, ProxyStats


class Upstream:
    """A loopback server: echoes what it gets, or sends `greeting` first; records every byte."""

    def __init__(self, greeting: bytes = b"") -> None:
        self.greeting = greeting
        self.received: list[bytes] = []
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port: int = self._sock.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._loop, daemon=True)
        self._accept.start()

    def _loop(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        got = bytearray()
        with conn, contextlib.suppress(OSError):
            if self.greeting:
                conn.sendall(self.greeting)
            while data := conn.recv(65536):
                got += data
                if not self.greeting:
                    conn.sendall(data)
        with self._lock:
            self.received.append(bytes(got))

    def wait_connections(self, n: int, timeout: float = 5.0) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.received) >= n:
                    return list(self.received)
            time.sleep(0.01)
        raise AssertionError(f"upstream saw {len(self.received)} finished connections, not {n}")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes accept()
        self._sock.close()
        self._accept.join(5)
        for thread in self._threads:
            thread.join(5)


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    yield server
    server.close()


def read_all(sock: socket.socket, limit: int, timeout: float = 5.0) -> bytes:
    """Everything until EOF, a reset, or `limit` bytes."""
    sock.settimeout(timeout)
    got = bytearray()
    with contextlib.suppress(ConnectionResetError):
        while len(got) < limit and (data := sock.recv(65536)):
            got += data
    return bytes(got)


def connect(proxy: NetFaultProxy) -> socket.socket:
    return socket.create_connection(("127.0.0.1", proxy.port), timeout=5)


def test_without_faults_bytes_pass_through_unchanged(upstream: Upstream) -> None:
    payload = bytes(range(256)) * 4096  # 1 MiB
    with NetFaultProxy(("127.0.0.1", upstream.port)) as proxy, connect(proxy) as sock:
        sender = threading.Thread(target=sock.sendall, args=(payload,))
        sender.start()
        echoed = read_all(sock, len(payload))
        sender.join()
        assert echoed == payload
        assert proxy.wait_until(lambda s: s.bytes_down == len(payload), 5)
        stats = proxy.stats()
    assert (stats.bytes_up, stats.bytes_down, stats.cuts) == (len(payload), len(payload), 0)


def test_a_cut_upward_delivers_exactly_the_bytes_before_it(upstream: Upstream) -> None:
    with (
        NetFaultProxy(
            ("127.0.0.1", upstream.port),
            cut_probability=1.0,
            cut_direction="up",
            up_cut=(1000, 1000),
        ) as proxy,
        connect(proxy) as sock,
    ):
        with contextlib.suppress(OSError):  # the reset may come while we are still sending
            sock.sendall(b"x" * 5000)
        echoed = read_all(sock, 5000)
        assert len(echoed) <= 1000
        [received] = upstream.wait_connections(1)
        assert received == b"x" * 1000
        assert proxy.stats().cuts_up == 1


def test_a_cut_downward_delivers_exactly_the_bytes_before_it() -> None:
    server = Upstream(greeting=b"y" * 50_000)
    try:
        with (
            NetFaultProxy(
                ("127.0.0.1", server.port),
                cut_probability=1.0,
                cut_direction="down",
                down_cut=(12_345, 12_345),
            ) as proxy,
            connect(proxy) as sock,
        ):
            assert read_all(sock, 50_000) == b"y" * 12_345
            assert proxy.stats().cuts_down == 1
            # The device side is reset, not closed cleanly: a further send fails.
            with pytest.raises(OSError):
                for _ in range(50):
                    sock.sendall(b"z" * 1000)
                    time.sleep(0.01)
    finally:
        server.close()


def cut_positions(seed: int, upstream: Upstream, n: int) -> list[int]:
    """How many bytes of a 20 kB upload get through on each of `n` connections."""
    with NetFaultProxy(
        ("127.0.0.1", upstream.port),
        seed=seed,
        cut_probability=1.0,
        cut_direction="up",
        up_cut=(0, 20_000),
    ) as proxy:
        for i in range(n):
            with connect(proxy) as sock:
                with contextlib.suppress(OSError):
                    sock.sendall(b"a" * 20_000)
                read_all(sock, 20_000)
            upstream.wait_connections(i + 1)  # one at a time: the upstream's order is ours
        assert proxy.wait_until(lambda s: s.cuts_up == n, 5), proxy.stats()
    return [len(r) for r in upstream.wait_connections(n)][-n:]


def test_the_same_seed_cuts_at_the_same_bytes() -> None:
    first, second, other = Upstream(), Upstream(), Upstream()
    try:
        a = cut_positions(11, first, 5)
        b = cut_positions(11, second, 5)
        c = cut_positions(12, other, 5)
    finally:
        for server in (first, second, other):
            server.close()
    assert a == b
    assert a != c
    assert all(0 <= n < 20_000 for n in a)


def test_cut_probability_is_applied_per_connection_and_can_change_live(
    upstream: Upstream,
) -> None:
    with NetFaultProxy(
        ("127.0.0.1", upstream.port), seed=3, cut_probability=1.0, up_cut=(0, 0), down_cut=(0, 0)
    ) as proxy:
        with connect(proxy) as sock:
            with contextlib.suppress(OSError):
                sock.sendall(b"hello")
            assert read_all(sock, 5) == b""
        proxy.configure(cut_probability=0.0)
        with connect(proxy) as sock:
            sock.sendall(b"hello")
            assert read_all(sock, 5) == b"hello"
        assert proxy.stats().cuts == 1


def test_bandwidth_cap_slows_a_transfer_to_the_link_rate(upstream: Upstream) -> None:
    payload = b"b" * 16_000  # 128 kbit each way at 512 kbit/s: 0.25 s up, 0.25 s down
    with (
        NetFaultProxy(("127.0.0.1", upstream.port), bandwidth_bps=512_000) as proxy,
        connect(proxy) as sock,
    ):
        started = time.monotonic()
        sender = threading.Thread(target=sock.sendall, args=(payload,))
        sender.start()
        assert read_all(sock, len(payload)) == payload
        elapsed = time.monotonic() - started
        sender.join()
    assert elapsed >= 0.24  # both directions pipeline: at least one direction's time


def test_rtt_delays_each_request_response_turn(upstream: Upstream) -> None:
    with NetFaultProxy(("127.0.0.1", upstream.port), rtt=0.2) as proxy, connect(proxy) as sock:
        timings = []
        for _ in range(3):
            started = time.monotonic()
            sock.sendall(b"ping")
            assert read_all(sock, 4) == b"ping"
            timings.append(time.monotonic() - started)
    assert all(t >= 0.19 for t in timings), timings
    assert all(t < 1.5 for t in timings), timings


def test_chunk_delay_and_cut_every_and_cut_all(upstream: Upstream) -> None:
    with NetFaultProxy(("127.0.0.1", upstream.port), chunk_delay=0.05, cut_every=0.3) as proxy:
        with connect(proxy) as sock:
            started = time.monotonic()
            sock.sendall(b"1")
            assert read_all(sock, 1) == b"1"
            assert time.monotonic() - started >= 0.1  # one chunk each way
            assert proxy.wait_until(lambda s: s.periodic_cuts >= 1, 3)
            assert read_all(sock, 1) == b""
        proxy.configure(cut_every=None)
        with connect(proxy) as sock:
            sock.sendall(b"2")
            assert read_all(sock, 1) == b"2"
            assert proxy.cut_all() == 1
            assert read_all(sock, 1) == b""


def test_set_upstream_follows_a_restarted_server(upstream: Upstream) -> None:
    moved = Upstream()
    try:
        with NetFaultProxy(("127.0.0.1", upstream.port)) as proxy:
            proxy.set_upstream(moved.port)
            with connect(proxy) as sock:
                sock.sendall(b"moved")
                assert read_all(sock, 5) == b"moved"
            assert moved.wait_connections(1) == [b"moved"]
    finally:
        moved.close()


def test_a_dead_upstream_refuses_the_device(upstream: Upstream) -> None:
    port = upstream.port
    upstream.close()
    with NetFaultProxy(("127.0.0.1", port)) as proxy:
        try:
            sock = connect(proxy)
        except ConnectionResetError:
            return  # reset while connecting (a loaded machine): the device is refused too
        with sock:
            assert read_all(sock, 1) == b""


def test_only_loopback_is_forwarded_to() -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        NetFaultProxy(("10.0.0.1", 443))
    with pytest.raises(ValueError):
        NetFaultProxy(("127.0.0.1", 1), cut_probability=2.0)


def test_connections_are_bounded_and_stop_joins_everything(upstream: Upstream) -> None:
    before = threading.active_count()
    proxy = NetFaultProxy(("127.0.0.1", upstream.port), max_connections=2).start()
    socks = [connect(proxy) for _ in range(2)]
    for sock in socks:
        sock.sendall(b"x")
        assert read_all(sock, 1) == b"x"
    try:
        third = connect(proxy)
    except ConnectionResetError:  # refused: the link is full (the reset came during connect)
        pass
    else:
        with third:
            assert read_all(third, 1) == b""  # refused: the link is full
    assert proxy.stats().refused == 1
    proxy.stop()
    for sock in socks:
        assert read_all(sock, 1) == b""
        sock.close()
    assert threading.active_count() <= before + 1  # the upstream's own threads may linger
    assert isinstance(proxy.stats(), ProxyStats)
