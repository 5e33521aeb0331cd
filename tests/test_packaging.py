"""The wheel carries every module and the built-in data (layouts, fonts, glossary)."""

import subprocess
import sys
import tomllib
import zipfile

import pytest
from conftest import REPO


def test_every_package_is_listed_in_pyproject():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(("brochure", *p.parent.relative_to(REPO / "cli" / "brochure").parts))
        for p in (REPO / "cli" / "brochure").rglob("__init__.py")
    }
    assert found <= listed, (
        f"add to pyproject.toml [tool.setuptools] packages: {sorted(found - listed)}"
    )


@pytest.mark.slow
def test_wheel_contents(tmp_path):
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(REPO)],
            check=True, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    except subprocess.CalledProcessError as exc:  # pragma: no cover - shown when it fails
        pytest.fail(exc.stderr)
    (wheel,) = tmp_path.glob("brochure-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for module in (REPO / "cli" / "brochure").rglob("*.py"):
        assert "brochure/" + str(module.relative_to(REPO / "cli" / "brochure")) in names
    for expected in (
        "brochure/builtin/layouts/columns/brochure.html.j2",
        "brochure/builtin/layouts/columns/columns.css",
        "brochure/builtin/layouts/fonts/OFL.txt",
        "brochure/builtin/layouts/hyphenation/hyph_kk_KZ.dic",
        "brochure/builtin/glossary/political.tsv",
        "brochure/data/abbreviations/kk.txt",
    ):
        assert expected in names
    assert any(
        n.startswith("brochure/builtin/layouts/fonts/") and n.endswith(".ttf") for n in names
    )
