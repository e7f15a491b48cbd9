"""The one door to X: every request the platform makes goes through `send()`.

Tests replace `HTTP` (for example with a client whose hooks check every answer against X's
OpenAPI document); nothing else in the app opens a connection.
"""

import httpx

TIMEOUT = httpx.Timeout(20.0, connect=5.0)
HTTP = httpx.Client(timeout=TIMEOUT)


def send(request: httpx.Request) -> httpx.Response:
    return HTTP.send(request)
