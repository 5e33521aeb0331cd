"""Translation memory: TMX import/export, exact and fuzzy lookups, the index cache, filling stores."""

from __future__ import annotations

import os

import pytest
from brochure.core.project import load_project
from brochure.memory.index import Memory, fill_from_memory, lookup
from brochure.memory.tmx import read_tmx
from conftest import snapshot
from test_cli import error_line

UPRISING = "In Kazakhstan, there is now a real popular uprising."
UPRISING_RU = "В Казахстане сейчас происходит настоящее народное восстание."

OMEGAT_TMX = """\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.4">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
          creationtoolversion="6.0.0_0_1bf1729c" segtype="sentence" srclang="EN-US"/>
  <body>
    <tu>
      <prop type="file">statement.md</prop>
      <tuv xml:lang="EN-US">
        <seg>The workers of <bpt i="1" x="1">&lt;i0&gt;</bpt>Tengizchevroil<ept i="1">&lt;/i0&gt;</ept> went on strike.</seg>
      </tuv>
      <tuv xml:lang="RU-RU" changeid="anna" changedate="20240101T120000Z">
        <seg>Рабочие <bpt i="1" x="1">&lt;i0&gt;</bpt>«Тенгизшевройл»<ept i="1">&lt;/i0&gt;</ept> забастовали.</seg>
      </tuv>
    </tu>
    <tu>
      <tuv xml:lang="EN-US"><seg>Solidarity with the strikers!</seg></tuv>
      <tuv xml:lang="RU-RU"><seg>Солидарность с бастующими!</seg></tuv>
      <tuv xml:lang="KK-KZ"><seg>Ереуілшілермен ынтымақтастық!</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def tt_tmx(path, pairs, src="en", tgt="ru"):
    """A TMX written by translate-toolkit (a second, independent implementation)."""
    tmx = pytest.importorskip("translate.storage.tmx")
    store = tmx.tmxfile(sourcelanguage=src, targetlanguage=tgt)
    for source, target in pairs:
        store.addtranslation(source, src, target, tgt)
    path.write_bytes(bytes(store))
    return path


def test_exact_and_fuzzy_matches_from_the_projects_approved_units(seed_project):
    project = load_project(seed_project)
    exact = lookup(project, UPRISING, "en", "ru")
    assert exact[0].score == 100 and exact[0].target == UPRISING_RU
    assert exact[0].origin == "translations/statement-2022-01-07.ru.xlf" and exact[0].line > 0
    fuzzy = lookup(project, "In Kazakhstan there is now a real uprising of the people.", "en", "ru")
    assert fuzzy and 75 <= fuzzy[0].score < 100 and fuzzy[0].target == UPRISING_RU
    assert (
        lookup(project, "Completely unrelated words about gardening and tomatoes.", "en", "ru")
        == []
    )
    assert lookup(project, UPRISING, "en", "kk")[0].target.startswith("Қазақстанда")


def test_search_command_shows_scores(invoke, seed_project):
    result = invoke("memory", "search", "In Kazakhstan there is now a real uprising.", seed_project)
    assert result.exit_code == 0
    first = result.output.splitlines()
    assert (
        first[0].endswith("In Kazakhstan, there is now a real popular uprising.")
        and "%" in first[0]
    )
    assert first[1].strip() == UPRISING_RU
    result = invoke("memory", "search", "gardening tomatoes", seed_project)
    assert result.output.strip() == "no match"


def test_the_threshold_is_a_project_setting(seed_project, invoke):
    toml = seed_project / "brochure.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + "\n[memory]\nfuzzy_threshold = 99\n", encoding="utf-8"
    )
    project = load_project(seed_project)
    assert (
        lookup(project, "In Kazakhstan there is now a real uprising of the people.", "en", "ru")
        == []
    )
    toml.write_text(toml.read_text(encoding="utf-8").replace("= 99", "= 150"), encoding="utf-8")
    line = error_line(invoke("status", seed_project))
    assert "memory.fuzzy_threshold: must be a whole number of percent from 1 to 100" in line


def test_the_index_follows_the_files(seed_project):
    """The SQLite index is a cache: rebuilt when deleted, refreshed when a file changes."""
    project = load_project(seed_project)
    assert lookup(project, UPRISING, "en", "ru")[0].target == UPRISING_RU
    index = seed_project / ".brochure" / "memory.sqlite"
    assert index.exists()
    store = seed_project / "translations" / "statement-2022-01-07.ru.xlf"
    store.write_text(
        store.read_text(encoding="utf-8").replace("сейчас происходит", "идёт"), encoding="utf-8"
    )
    assert (
        lookup(project, UPRISING, "en", "ru")[0].target
        == "В Казахстане идёт настоящее народное восстание."
    )
    index.unlink()
    assert (
        lookup(project, UPRISING, "en", "ru")[0].target
        == "В Казахстане идёт настоящее народное восстание."
    )
    index.write_bytes(b"not a database")  # a damaged cache is rebuilt, not an error
    assert lookup(project, UPRISING, "en", "ru")[0].score == 100
    store.unlink()
    assert lookup(project, UPRISING, "en", "ru") == []


def test_touching_a_file_does_not_reindex_it(seed_project):
    project = load_project(seed_project)
    with Memory.open(project) as memory:
        assert memory.stats()["files"] == 4
    store = seed_project / "translations" / "statement-2022-01-07.ru.xlf"
    os.utime(store, ns=(store.stat().st_atime_ns, store.stat().st_mtime_ns + 10**9))
    with Memory.open(project) as memory:
        assert memory.refresh() == 0


def test_only_approved_units_are_in_the_memory(seed_project):
    store = seed_project / "translations" / "statement-2022-01-07.ru.xlf"
    text = store.read_text(encoding="utf-8")
    store.write_text(text.replace('state="final"', 'state="translated"', 3), encoding="utf-8")
    assert lookup(load_project(seed_project), UPRISING, "en", "ru") == []


def test_a_tmx_written_by_translate_toolkit_imports_and_matches(invoke, seed_project, tmp_path):
    tmx = tt_tmx(tmp_path / "partner.tmx", [
        ("The general strike spread to the whole region.", "Всеобщая забастовка охватила весь регион."),
        ("We demand the release of all political prisoners.", "Мы требуем освободить всех политзаключённых."),
    ])  # fmt: skip
    result = invoke("memory", "import", tmx, seed_project)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {seed_project / 'memory' / 'partner.tmx'} (2 units)"
    project = load_project(seed_project)
    exact = lookup(project, "We demand the release of all political prisoners.", "en", "ru")
    assert [(m.score, m.target, m.origin) for m in exact] == [
        (100, "Мы требуем освободить всех политзаключённых.", "memory/partner.tmx")
    ]
    fuzzy = lookup(
        project, "We demand the immediate release of all political prisoners!", "en", "ru"
    )
    assert (
        fuzzy[0].target == "Мы требуем освободить всех политзаключённых."
        and 75 <= fuzzy[0].score < 100
    )
    again = invoke("memory", "import", tmx, seed_project)
    assert again.output.startswith("replaced ")


def test_an_omegat_tmx_with_region_codes_and_inline_codes(invoke, seed_project, tmp_path):
    (tmp_path / "omegat.tmx").write_text(OMEGAT_TMX, encoding="utf-8")
    assert invoke("memory", "import", tmp_path / "omegat.tmx", seed_project).exit_code == 0
    srclang, units = read_tmx(seed_project / "memory" / "omegat.tmx")
    assert srclang == "en"
    assert units[0].texts == {
        "en": "The workers of Tengizchevroil went on strike.",
        "ru": "Рабочие «Тенгизшевройл» забастовали.",
    }
    assert units[0].props == [("file", "statement.md")]
    assert units[1].texts["kk"] == "Ереуілшілермен ынтымақтастық!"
    project = load_project(seed_project)
    assert (
        lookup(project, "Solidarity with the strikers!", "en", "kk")[0].target
        == "Ереуілшілермен ынтымақтастық!"
    )
    assert (
        lookup(project, "Solidarity with the strikers!", "en", "ru")[0].target
        == "Солидарность с бастующими!"
    )


# As SDL Trados Studio exports a memory: UTF-16 with a BOM and CRLF, region codes in other cases,
# <prop>s, empty paired codes and a <ph/>; memoQ's and Wordfast's `lang`-less variants follow.
TRADOS_TMX = """\
<?xml version="1.0" encoding="utf-16"?>
<tmx version="1.4">
  <header creationtool="SDL Language Platform" creationtoolversion="8.1" o-tmf="SDL TM8 Format"
          datatype="xml" segtype="sentence" adminlang="en-US" srclang="*all*">
    <prop type="x-TMName">Politics EN-RU-KK</prop>
  </header>
  <body>
    <tu creationdate="20230512T101500Z" creationid="SDL\\anna" usagecount="3">
      <prop type="x-Context">0, 0</prop>
      <tuv xml:lang="en-GB">
        <seg>The <bpt i="1" type="1" x="1" />general strike<ept i="1" /> spread to the whole region.</seg>
      </tuv>
      <tuv xml:lang="ru-RU">
        <seg><bpt i="1" type="1" x="1" />Всеобщая забастовка<ept i="1" /> охватила весь регион.</seg>
      </tuv>
      <tuv xml:lang="kk-Cyrl-KZ">
        <seg><bpt i="1" type="1" x="1" />Жалпы ереуіл<ept i="1" /> бүкіл өңірді қамтыды.</seg>
      </tuv>
    </tu>
    <tu>
      <note>two sentences the tool kept as two segs</note>
      <tuv lang="EN-US"><seg>We demand the release of all political prisoners.</seg><seg>Now!</seg></tuv>
      <tuv lang="RU"><seg>Мы требуем освободить всех политзаключённых.</seg><seg>Немедленно!</seg></tuv>
      <tuv lang="KK"><seg/></tuv>
    </tu>
  </body>
</tmx>
"""


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-resaved"])
def test_a_trados_tmx_in_utf16_and_one_an_editor_saved_as_utf8(
    invoke, seed_project, tmp_path, encoding
):
    """Trados writes TMX in UTF-16 (read already); an editor that converts it to UTF-8 keeps the
    declaration 'utf-16' (Notepad++), which failed: 'malformed TMX: Blank needed here'. A <tuv>
    of several <seg>s (TMX has one) was read as its first: a part paired with the whole."""
    text = TRADOS_TMX.replace("\n", "\r\n")
    tmx = tmp_path / "trados.tmx"
    tmx.write_bytes(text.encode("utf-16") if encoding == "utf-16" else text.encode("utf-8"))
    result = invoke("memory", "import", tmx, seed_project)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {seed_project / 'memory' / 'trados.tmx'} (2 units)"
    _, units = read_tmx(seed_project / "memory" / "trados.tmx")
    assert [u.texts for u in units] == [
        {
            "en": "The general strike spread to the whole region.",
            "ru": "Всеобщая забастовка охватила весь регион.",
            "kk": "Жалпы ереуіл бүкіл өңірді қамтыды.",
        },
        {
            "en": "We demand the release of all political prisoners. Now!",
            "ru": "Мы требуем освободить всех политзаключённых. Немедленно!",
        },
    ]
    assert units[0].props == [("x-Context", "0, 0")] and units[1].notes == [
        "two sentences the tool kept as two segs"
    ]
    project = load_project(seed_project)
    found = lookup(project, "We demand the release of all political prisoners. Now!", "en", "ru")
    assert found[0].score == 100
    assert found[0].target == "Мы требуем освободить всех политзаключённых. Немедленно!"


def test_export_writes_all_languages_in_one_tu(invoke, seed_project, tmp_path):
    out = tmp_path / "sdk.tmx"
    result = invoke("memory", "export", "-o", out, seed_project)
    assert result.output.strip() == f"wrote {out} (80 units)"
    srclang, units = read_tmx(out)
    assert srclang == "en"
    uprising = next(u for u in units if u.texts["en"] == UPRISING)
    assert set(uprising.texts) == {"en", "ru", "kk"}
    tmx = pytest.importorskip("translate.storage.tmx")  # another tool reads it
    store = tmx.tmxfile.parsefile(str(out))
    assert any(u.source == UPRISING for u in store.units)
    only_ru = invoke("memory", "export", "--lang", "ru", "-o", tmp_path / "ru.tmx", seed_project)
    assert only_ru.exit_code == 0
    assert {lang for u in read_tmx(tmp_path / "ru.tmx")[1] for lang in u.texts} == {"en", "ru"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (("<tmx version='1.4'><body><tu><tuv xml:lang='en'><seg>x</seg></tuv>\n</tu>\n</bod></tmx>"),
         "bad.tmx:3: malformed TMX: Opening and ending tag mismatch: body line 1 and bod"),
        ("<xliff version='1.2'/>", "bad.tmx:1: not a TMX file (root <xliff>)"),
        ("<tmx version='1.4'>\n<header/></tmx>", "bad.tmx:1: TMX without <body>"),
        ("<tmx version='1.4'><header/><body>\n<tu><tuv><seg>x</seg></tuv></tu></body></tmx>",
         "bad.tmx:2: <tuv> without xml:lang"),
        (("<tmx version='1.4'><header/><body><tu><tuv xml:lang='de'><seg>Hallo</seg></tuv>"
          "<tuv xml:lang='fr'><seg>Salut</seg></tuv></tu></body></tmx>"),
         ("bad.tmx: no unit pairs the project's source language 'en' with one of ru, kk "
          "(languages in the file: de, fr)")),
    ],
)  # fmt: skip
def test_bad_tmx_is_one_line_and_changes_nothing(invoke, seed_project, tmp_path, text, expected):
    bad = tmp_path / "bad.tmx"
    bad.write_text(text, encoding="utf-8")
    before = snapshot(seed_project)
    line = error_line(invoke("memory", "import", bad, seed_project))
    assert line.startswith("Error: ") and line.endswith(expected), line
    assert snapshot(seed_project) == before


def test_a_malformed_tmx_already_in_memory_is_reported(seed_project, invoke):
    (seed_project / "memory").mkdir()
    (seed_project / "memory" / "broken.tmx").write_text("<tmx><body>\n<tu>", encoding="utf-8")
    line = error_line(invoke("memory", "search", UPRISING, seed_project))
    assert "memory/broken.tmx:2: malformed TMX" in line


TOML = 'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n'


def test_fill_from_memory_exact_fuzzy_and_never_over_approved(tmp_path, seed_project):
    from brochure.core.datamodel import RichText
    from brochure.store.load import load_translations

    # a new document in the seed project: one sentence seen before, one close to one, one new
    doc = seed_project / "new.md"
    doc.write_text(
        "# Statement of the Socialist Movement of Kazakhstan\n\n"
        f"{UPRISING} In Kazakhstan there is now a real uprising of the people. Tomatoes grow in gardens.\n",
        encoding="utf-8",
    )
    toml = seed_project / "brochure.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"statement-2022-01-07.md"]',
                                                             '"statement-2022-01-07.md", "new.md"]'), encoding="utf-8")  # fmt: skip
    project = load_project(seed_project)
    segmented, stores = load_translations(project, ["ru"])
    store = stores[("new", "ru")]
    heading, exact, fuzzy, new = segmented["new"].segments
    store.set_target(heading.id, RichText("Наш заголовок"), "reviewed", meta={"origin": "human"})
    counts = fill_from_memory(project, stores, segmented, "ru")
    assert (counts.exact, counts.fuzzy) == (1, 1)
    unit = store.get(exact.id)
    assert (unit.target.text, unit.state, unit.meta["origin"]) == (
        UPRISING_RU,
        "translated",
        "memory",
    )
    unit = store.get(fuzzy.id)
    assert (unit.target.text, unit.state, unit.meta["origin"]) == (
        UPRISING_RU,
        "translated",
        "memory-fuzzy",
    )
    assert unit.notes[-1].text.startswith(
        "memory match 79% (translations/statement-2022-01-07.ru.xlf:21): In Kazakhstan"
    )
    assert store.get(heading.id).target.text == "Наш заголовок"  # approved: untouched
    assert store.get(new.id).target is None
    assert counts.filled == {("new", exact.id): "memory", ("new", fuzzy.id): "memory-fuzzy"}
