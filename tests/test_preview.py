"""`brochure preview`: PNG images of an edition's pages, the PDF built first when out of date."""

from __future__ import annotations

import pytest
from brochure.core.errors import LayoutError
from brochure.outputs.preview import parse_pages
from conftest import write_project

PIL = pytest.importorskip("PIL.Image")

TOML = """\
title = { en = "Preview test", ru = "Проверка" }
source_language = "en"
target_languages = ["ru"]
documents = ["t.md"]

[[editions]]
languages = ["en", "ru"]
layout = "interleaved"
formats = ["pdf"]
bleed = "0mm"

[[editions]]
languages = ["en", "ru"]
layout = "facing"
"""


@pytest.mark.parametrize(("spec", "count", "pages"), [
    (None, 3, [1, 2, 3]), ("all", 2, [1, 2]), ("1-4", 9, [1, 2, 3, 4]), ("2,5,7-", 8, [2, 5, 7, 8]),
    ("3", 5, [3]), ("1-100", 3, [1, 2, 3]), (" 2 - 3 ", 5, [2, 3]),
])  # fmt: skip
def test_parse_pages(spec, count, pages):
    assert parse_pages(spec, count) == pages


@pytest.mark.parametrize("spec", ["x", "0", "4-2", "9"])
def test_parse_pages_rejects(spec):
    with pytest.raises(LayoutError, match="--pages"):
        parse_pages(spec, 5)


@pytest.fixture
def project(tmp_path, invoke):
    folder = write_project(
        tmp_path / "p", TOML, {"t.md": "# Heading\n\nFirst paragraph. Second sentence.\n"}
    )
    return folder


def test_preview_builds_the_pdf_first_then_writes_pngs(project, invoke, tmp_path):
    out = tmp_path / "png"
    result = invoke("preview", project, "--pages", "1-2", "-o", out, "--draft", "--dpi", "40")
    assert result.exit_code == 0, result.output
    pdf = project / "build" / "p.en-ru.interleaved.pdf"
    assert pdf.exists()
    names = sorted(p.name for p in out.iterdir())
    assert names == ["p.en-ru.interleaved.p001.png", "p.en-ru.interleaved.p002.png"]
    image = PIL.open(out / names[0])
    assert image.size == pytest.approx((148 / 25.4 * 40, 210 / 25.4 * 40), abs=1.5)
    assert "wrote" in result.output
    # a second look does not rebuild an up-to-date PDF
    stamp = pdf.stat().st_mtime_ns
    assert invoke("preview", project, "-p", "1", "-o", out, "--draft", "--dpi", "40").exit_code == 0
    assert pdf.stat().st_mtime_ns == stamp


def test_preview_spreads_and_trim(project, invoke, tmp_path):
    out = tmp_path / "png"
    result = invoke("preview", project, "-e", "en-ru-facing", "-p", "1-5", "-o", out, "--draft", "--dpi", "30",
                    "--spreads", "--trim")  # fmt: skip
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "p.en-ru.facing.p001.png",
        "p.en-ru.facing.p002-003.png",
        "p.en-ru.facing.p004-005.png",
    ]
    single, spread = PIL.open(out / names[0]), PIL.open(out / names[1])
    assert single.size == pytest.approx(
        (148 / 25.4 * 30, 210 / 25.4 * 30), abs=1.5
    )  # trimmed: no bleed or slug
    assert spread.width == 2 * single.width


def test_preview_errors(project, invoke):
    result = invoke("preview", project, "-e", "nope")
    assert result.exit_code == 1 and "no edition named 'nope'" in result.output
    result = invoke("preview", project, "--pages", "x-y", "--draft")
    assert result.exit_code == 1 and "--pages 'x-y'" in result.output
