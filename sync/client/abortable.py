"""Requests that another thread can cut: the sync's network calls end when the vault locks.

A `requests` call blocked on a server that never answers cannot be interrupted from outside,
and the timeouts of a 2G link are long. `AbortableAdapter` keeps a duplicate of each socket it
opens; `abort()` shuts those down, so the blocked call fails at once (as a cut line does) and
every later connection is shut as soon as it is made. The duplicate is closed with its
connection, so no socket outlives its use.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref
from typing import Any

import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection


class _Sockets:
    """The sockets of one adapter's connections, by connection, and whether it was aborted."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._spares: weakref.WeakKeyDictionary[object, socket.socket] = weakref.WeakKeyDictionary()
        self.aborted = False

    def watch(self, owner: object, sock: socket.socket) -> None:
        with self._guard:
            if not self.aborted:
                # A duplicate descriptor: shutting it down cuts the connection whichever object
                # (plain or TLS socket) urllib3 holds by then.
                self._spares[owner] = sock.dup()
                return
        _shut(sock)

    def forget(self, owner: object) -> None:
        with self._guard:
            spare = self._spares.pop(owner, None)
        if spare is not None:
            spare.close()

    def abort(self) -> None:
        with self._guard:
            self.aborted = True
            spares = list(self._spares.values())
            self._spares.clear()
        for spare in spares:
            _shut(spare)
            spare.close()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        sock.shutdown(socket.SHUT_RDWR)


class AbortableAdapter(HTTPAdapter):
    """An HTTPS adapter whose requests in flight `abort()` cuts, from any thread."""

    def __init__(self, **kwargs: Any) -> None:
        self._sockets = _Sockets()  # before super().__init__, which makes the pool manager
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        sockets = self._sockets

        class Connection(HTTPSConnection):
            def _new_conn(self) -> socket.socket:
                sock = super()._new_conn()
                sockets.watch(self, sock)
                return sock

            def close(self) -> None:
                try:
                    super().close()
                finally:
                    sockets.forget(self)

        class Pool(urllib3.HTTPSConnectionPool):
            ConnectionCls = Connection

        self.poolmanager.pool_classes_by_scheme = {
            **self.poolmanager.pool_classes_by_scheme,
            "https": Pool,
        }

    @property
    def aborted(self) -> bool:
        return self._sockets.aborted

    def abort(self) -> None:
        """Cut every connection now and each one made from now on."""
        self._sockets.abort()
