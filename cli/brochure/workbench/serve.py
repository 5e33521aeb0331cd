"""Run the workbench: bind (loopback unless told otherwise), print the URL with its token, serve."""

from __future__ import annotations

import logging
import socket
import threading
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brochure.core.errors import BrochureError
from brochure.core.project import load_project
from brochure.workbench.security import LOOPBACK, Secrets

log = logging.getLogger(__name__)


@dataclass
class Workbench:
    """A bound, not yet serving workbench: `url` (with the token) and the uvicorn server."""

    url: str
    server: Any  # uvicorn.Server
    sock: socket.socket

    def serve(self) -> None:
        """Serve until interrupted (Ctrl+C) or `stop()`."""
        self.server.run(sockets=[self.sock])

    def stop(self) -> None:
        """Ask the server to finish its requests and return from serve()."""
        self.server.should_exit = True


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (the default, safe binding)."""
    return host in LOOPBACK


def open_workbench(root: Path, host: str = "127.0.0.1", port: int = 0) -> Workbench:
    """Load the project in `root` (its errors surface now) and bind `host`:`port` (0: a free port)."""
    import uvicorn

    from brochure.workbench.app import make_app

    project = load_project(root)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1" if host == "localhost" else host, port))
    except OSError as exc:
        sock.close()
        raise BrochureError(f"{host}:{port}: cannot listen there: {exc.strerror or exc}") from None
    port = sock.getsockname()[1]
    keys = Secrets(host=host, port=port)
    config = uvicorn.Config(
        make_app(project.root, keys), log_level="warning", access_log=False, lifespan="off",
        server_header=False, proxy_headers=False,
    )  # fmt: skip
    url = f"http://{host}:{port}/?token={keys.token}"
    return Workbench(url, uvicorn.Server(config), sock)


def open_browser_when_up(bench: Workbench) -> None:
    """Open the system's browser at the workbench once the server listens."""

    def wait_and_open() -> None:
        for _ in range(200):
            if bench.server.started:
                webbrowser.open(bench.url)
                return
            threading.Event().wait(0.05)

    threading.Thread(target=wait_and_open, daemon=True).start()
