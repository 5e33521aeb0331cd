"""Shared fixtures. Every test runs with network sockets blocked: the tool must work offline."""

from __future__ import annotations

import re
import shutil
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
# the workbench tests' fixtures module, which they also import from: its asserts rewritten too
pytest.register_assert_rewrite("conftest_workbench")


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Refuse any internet connection (local AF_UNIX sockets stay allowed)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guard(name):
        def refuse(*args, **kwargs):
            raise NetworkBlocked(f"network access attempted in a test: {name}{args[1:] or args}")

        return refuse

    def connect(self, address):
        if self.family == getattr(socket, "AF_UNIX", None):
            return real_connect(self, address)
        raise NetworkBlocked(f"network access attempted in a test: connect {address!r}")

    def connect_ex(self, address):
        if self.family == getattr(socket, "AF_UNIX", None):
            return real_connect_ex(self, address)
        raise NetworkBlocked(f"network access attempted in a test: connect {address!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", guard("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", guard("getaddrinfo"))
    yield


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run `brochure ARGS...` in-process; returns the click Result."""
    from brochure.cli import cli

    def run(*args: str, **kwargs):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return run


@pytest.fixture
def seed_project(tmp_path) -> Path:
    """A private copy of the sample project (sources, brochure.toml, translations)."""
    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest, ignore=shutil.ignore_patterns("build", ".brochure"))
    return dest


def seed_columns_toml(pdf: str = "") -> str:
    """The seed texts as one columns edition (A5 en|ru: paragraphs cut at page ends); `pdf`, e.g.
    '["screen"]', limits the PDFs built (both, screen and print, by default)."""
    return """\
name = "sdk"
title = { en = "Programme", ru = "Программа", kk = "Бағдарлама" }
source_language = "en"
target_languages = ["ru", "kk"]
documents = ["programme-part-1.md", "statement-2022-01-07.md"]

[[editions]]
languages = ["en", "ru"]
layout = "columns"
page_size = "A5"
formats = ["pdf"]
""" + (f"pdf = {pdf}\n" if pdf else "")


def write_project(folder: Path, toml: str, files: dict[str, str] | None = None) -> Path:
    """Create a small project: brochure.toml plus the given files (relative path -> text)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "brochure.toml").write_text(toml, encoding="utf-8")
    for name, text in (files or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes, to assert that nothing was changed."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def squash(text: str) -> str:
    """Page text and segment text compared without white space, hyphens and soft hyphens, and
    without the quotes, dashes and ellipses the print typography stage sets (layout.typography)."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011–—«»„“”\"'‘’….]+", "", text)
