"""Acceptance 3: a running web host answers /healthz with 200, then 503 while its database
refuses connections, then 200 again once the database is back, without being restarted.

The database is "stopped" by closing a loopback proxy in front of it, so that the PostgreSQL that
other tests share keeps running."""

import contextlib
import socket
import threading
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from django.db import connection

from samvad.jobs.tests.test_two_workers import shared_database_url
from samvad.ops.tests.hosts import Hosts, free_port, shared_env


class Proxy:
    """Forwards a loopback port to the database; stop() closes every connection and refuses new
    ones, as a stopped database would."""

    def __init__(self, port: int, target: tuple[str, int]):
        self.port, self.target = port, target
        self.sockets: list[socket.socket] = []

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                client, _ = self.listener.accept()
                server = socket.create_connection(self.target)
                self.sockets += [client, server]
                for a, b in ((client, server), (server, client)):
                    threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()


def through(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    netloc[-1] = f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc="@".join(netloc)))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_healthz_follows_the_database_without_a_restart(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a database server to stop: PostgreSQL")
    db = connection.settings_dict
    proxy = Proxy(free_port(), (db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.start()
    hosts = Hosts(tmp_path)
    try:
        web = hosts.web("web", shared_env(database_url=through(shared_database_url(), proxy.port)))
        hosts.ready(web)
        seen = [httpx.get(web + "/healthz").status_code]
        proxy.stop()
        seen.append(httpx.get(web + "/healthz").status_code)
        seen.append(httpx.get(web + "/healthz").status_code)  # refused, not merely dropped
        proxy.start()
        seen.append(httpx.get(web + "/healthz").status_code)
    finally:
        proxy.stop()
        codes = hosts.stop()
    assert seen == [200, 503, 503, 200], hosts.logs()
    assert codes == {"web": 0}
