"""A TCP proxy in front of a database server that can fail on demand.

Modes: ``forward`` passes bytes both ways; ``silent`` accepts connections and answers
nothing (new and established connections alike: a server that hangs); ``refuse`` closes
every new connection at once.
"""

from __future__ import annotations

import socket
import threading
from contextlib import suppress


class FaultProxy:
    """Listens on 127.0.0.1 (``port``) and forwards to ``target`` as its mode says."""

    def __init__(self, target: tuple[str, int], mode: str = "forward") -> None:
        self.target, self.mode = target, mode
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def set_mode(self, mode: str) -> None:
        """Change how new and established connections behave."""
        self.mode = mode
        if mode == "forward":
            self.drop_all()  # the hung ones fail now, so their callers reconnect

    def drop_all(self) -> None:
        """Close every connection made so far."""
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        """Stop listening and close everything."""
        self._closed.set()
        self._listener.close()
        self.drop_all()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.mode == "refuse":
                client.close()
                continue
            with self._lock:
                self._sockets.append(client)
            if self.mode == "silent":
                threading.Thread(target=self._swallow, args=(client,), daemon=True).start()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.append(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _swallow(self, sock: socket.socket) -> None:
        with suppress(OSError):
            while sock.recv(65536):
                pass

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                while self.mode == "silent" and not self._closed.is_set():
                    if self._closed.wait(0.05) or source.fileno() < 0:
                        return
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
