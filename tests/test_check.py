"""`brochure check`: terminology and QA per segment; `brochure build --strict`."""

from __future__ import annotations

import json

import pytest
from brochure.check.qa import CheckFailed, check_project, numbers, unpaired
from brochure.core.datamodel import RichText
from brochure.glossary import load
from conftest import write_project

TOML = (
    'title = "T"\nsource_language = "en"\ntarget_languages = ["ru", "kk"]\ndocuments = ["a.md"]\n'
)
SOURCE = """# The oligarchs

The oligarchs fear a general strike. Nur Otan lost 3 of 12 seats.

- The oligarchs fear a general strike.
- Workers of the world, unite!
- The Assembly met (in Astana).
- The workers met at 10,000 places.
"""
GLOSSARY = (
    "id\ten\tru\tkk\tru_forbidden\tflags\n"
    "oligarch\toligarch\tолигарх\tолигарх\tмагнат\t\n"
    "general-strike\tgeneral strike\tвсеобщая забастовка\tжалпы ереуіл\tгенеральная забастовка\t\n"
    "nur-otan\tNur Otan\tNur Otan\tNur Otan\tНур Отан\tdo-not-translate,case-sensitive\n"
    "assembly\tAssembly\t\t\t\t\n"
)
RU = {
    "The oligarchs": "Олигархи",
    # inflected approved terms: no finding
    "The oligarchs fear a general strike.": "Олигархи боятся всеобщей забастовки.",
    "Nur Otan lost 3 of 12 seats.": "Нур Отан потерял 3 из 13 мест.",
    "Workers of the world, unite!": "Workers of the world, unite!",
    "The Assembly met (in Astana).": "Ассамблея собралась (в Астане.",
    "The workers met at 10,000 places.": "Рабочие собрались в 10 000 мест.",
}


BUILTIN_SOURCES = load.builtin_sources


@pytest.fixture(autouse=True)
def no_builtin(monkeypatch):
    monkeypatch.setattr(load, "builtin_sources", lambda: [])


def make_project(tmp_path, ru: dict, kk: dict | None = None):
    from brochure.core.project import load_project
    from brochure.segmentation.documents import segment_source
    from brochure.store.xliff import open_store

    folder = write_project(tmp_path / "p", TOML, {"a.md": SOURCE, "glossary/terms.tsv": GLOSSARY})
    project = load_project(folder)
    for document in project.documents:
        seg = segment_source(project, document)
        for lang, table in (("ru", ru), ("kk", kk or {})):
            store = open_store(project, document, lang)
            store.sync(seg.segments)
            seen: dict[str, int] = {}
            for s in seg.segments:
                if s.text in table:  # a list gives each occurrence its own translation
                    value = table[s.text]
                    n = seen[s.text] = seen.get(s.text, -1) + 1
                    store.set_target(
                        s.id, RichText(value if isinstance(value, str) else value[n]), "final"
                    )
            store.save()
    return project


def findings(report):
    return sorted((i.source, i.code) for i in report.issues)


def test_report_per_segment(tmp_path):
    ru = dict(RU)
    ru["The oligarchs fear a general strike."] = [  # the sentence occurs twice
        "Олигархи боятся всеобщей забастовки.",
        "Магнаты боятся генеральной забастовки.",
    ]
    report = check_project(make_project(tmp_path, ru), ["ru"])
    assert findings(report) == sorted([
        ("Nur Otan lost 3 of 12 seats.", "do-not-translate"),
        ("Nur Otan lost 3 of 12 seats.", "forbidden-term"),
        ("Nur Otan lost 3 of 12 seats.", "numbers"),
        ("The Assembly met (in Astana).", "brackets"),
        ("The Assembly met (in Astana).", "no-target-term"),
        ("Workers of the world, unite!", "same-as-source"),
        ("The oligarchs fear a general strike.", "missing-term"),
        ("The oligarchs fear a general strike.", "missing-term"),
        ("The oligarchs fear a general strike.", "forbidden-term"),
        ("The oligarchs fear a general strike.", "forbidden-term"),
        ("The oligarchs fear a general strike.", "inconsistent"),
        ("The oligarchs fear a general strike.", "inconsistent"),
    ])  # fmt: skip
    by_code = {i.code: i for i in report.issues}
    assert by_code["numbers"].message == "numbers differ: missing 12; extra 13"
    assert by_code["forbidden-term"].severity == "error"
    assert by_code["numbers"].severity == "warning"
    messages = [i.message for i in report.issues if i.code == "missing-term"]
    assert "«oligarchs» (oligarch) should be «олигарх»" in messages


def test_untranslated_is_an_error(tmp_path):
    report = check_project(make_project(tmp_path, {}), ["ru"])
    assert {i.code for i in report.issues} == {"untranslated"}
    assert len(report.errors) == report.segments == 7


def test_kazakh_inflection_aware(tmp_path):
    kk = {
        "The oligarchs": "Олигархтар",
        "The oligarchs fear a general strike.": "Олигархтар жалпы ереуілден қорқады.",
    }
    report = check_project(make_project(tmp_path, RU, kk), ["kk"])
    assert not [i for i in report.issues if i.code in ("missing-term", "forbidden-term")]


def test_cli_table_json_and_exit_code(invoke, tmp_path):
    fixed = dict(RU)
    fixed["Nur Otan lost 3 of 12 seats."] = "Nur Otan потерял 3 из 12 мест."
    project = make_project(tmp_path, fixed)
    result = invoke("check", project.root, "--lang", "ru")
    assert result.exit_code == 0, result.output  # warnings only
    assert result.output.splitlines()[-1] == "0 error(s), 3 warning(s) in 7 segment(s) (ru)"
    assert "warning  same-as-source" in result.output
    project = make_project(tmp_path / "2", RU)
    result = invoke("check", project.root, "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["languages"] == ["ru", "kk"] and data["errors"] == 7 + 2
    assert {
        "document",
        "lang",
        "segment",
        "code",
        "severity",
        "message",
        "source",
        "target",
    } <= set(data["issues"][0])
    line = [ln for ln in invoke("check", project.root, "--lang", "de").stderr.splitlines() if ln][0]
    assert line.startswith("Error: --lang: 'de' is not a target language")


def test_build_strict_fails_on_errors(tmp_path):
    from brochure.pipeline.build import build_project

    project = make_project(tmp_path, RU)
    rendered = []

    def render(edition, fmt, out, search_dirs=()):
        rendered.append(out)
        return out

    with pytest.raises(CheckFailed) as info:
        build_project(project, editions=["en-ru"], strict=True, render=render, mt=False)
    assert "forbidden-term" in str(info.value)
    assert rendered == []
    build_project(project, editions=["en-ru"], render=render, mt=False)
    assert rendered


def test_a_derived_word_is_a_warning_not_an_error():
    from brochure.check.qa import check_segment
    from brochure.glossary.termbase import Termbase
    from brochure.glossary.tsv import concept_from_row

    tb = Termbase(
        [concept_from_row(dict(id="police", en="police", ru="полиция", ru_forbidden="милиция"))]
    )
    source = "the dictatorship of the police"
    assert check_segment(tb, source, "полицейская диктатура", "en", "ru") == [
        ("derived-term", "«police» (police): only «полицейская», a word derived from «полиция»")
    ]
    # a forbidden rendering is not a derived word
    codes = [c for c, _ in check_segment(tb, source, "диктатура милиции", "en", "ru")]
    assert codes == ["missing-term", "forbidden-term"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10,000 and 10 000 and 10000", {"10000": 3}),
        ("2,5 = 2.5", {"2.5": 2}),
        ("on Jun. 30 – Jul. 1", {"30": 1, "1": 1}),
    ],
)
def test_numbers(text, expected):
    assert numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("«a (b)»", []), ("«a", ["«"]), ("a)", [")"]), ("“quoted”", []), ("„so“", []), ('"x', ['"'])],
)
def test_unpaired(text, expected):
    assert unpaired(text) == expected


def _terms(*rows: dict):
    from brochure.glossary.termbase import Termbase
    from brochure.glossary.tsv import concept_from_row

    return Termbase([concept_from_row(row) for row in rows])


INFLECTED_FORMS = _terms(
    dict(id="almaty", pos="proper-noun", en="Almaty", ru="Алматы", kk="Алматы"),
    dict(id="janaozen", pos="proper-noun", en="Janaozen", ru="Жанаозен", kk="Жаңаөзен"),
    dict(id="karaganda-region", en="Karaganda region", kk="Қарағанды облысы"),
    dict(id="mining-industry", en="mining industry", kk="тау-кен өнеркәсібі"),
    dict(id="latifundist", en="latifundist", kk="латифундист"),
    dict(id="rally", en="rally", kk="митинг"),
    dict(id="congress", en="congress", kk="съезд"),
    dict(id="protest-rally", en="protest rally", kk="наразылық митингісі"),
    dict(id="nazarbayev", domain="people", pos="proper-noun", en="Nursultan Nazarbayev",
         en_admitted="Nazarbayev", ru="Нурсултан Назарбаев", kk="Нұрсұлтан Назарбаев"),
    dict(id="komsomol", en="Komsomol", ru="комсомол", kk="комсомол"),
    dict(id="class", en="class", ru="класс", kk="тап"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("source", "lang", "target"),
    [
        # the attributive -дағы/-дегі/-тағы/-тегі after a locative ("the one in ...")
        ("the workers in Almaty", "kk", "Алматыдағы жұмысшылар"),
        ("the rally in Janaozen", "kk", "Жаңаөзендегі митинг"),
        ("miners in Karaganda region", "kk", "Қарағанды облысындағы кеншілер"),
        ("workers of the mining industry", "kk", "тау-кен өнеркәсібіндегі жұмысшылар"),
        # a loanword in -ст drops its т before a т-suffix
        ("they became latifundists", "kk", "олар латифундистерге айналды"),
        ("adopted at the congress", "kk", "съезде қабылданған"),
        # a loanword in -нг with the linking і; the plural of an izafet head
        ("at the rally", "kk", "митингісінде"),
        ("at the rally", "kk", "митингіде"),
        ("protest rallies began", "kk", "наразылық митингілері басталды"),
        # a person's concept named by the surname alone, in a case form (back harmony after -аев)
        ("They appealed to Nazarbayev", "kk", "Олар Назарбаевқа жүгінді"),
        ("Nazarbayev's party", "kk", "Назарбаевтың партиясы"),
        ("They appealed to Nazarbayev", "ru", "Они обратились к Назарбаеву"),
    ],
)
def test_an_inflected_form_is_the_term(source, lang, target):
    from brochure.check.qa import check_segment

    assert check_segment(INFLECTED_FORMS, source, target, "en", lang) == []


@pytest.mark.parametrize(
    ("source", "lang", "target", "word"),
    [
        # adjectives made from the term's noun stay derived words for a person to judge
        ("the Komsomol leaders", "ru", "комсомольские вожаки", "комсомольские"),
        ("class struggle", "kk", "таптық күрес", "таптық"),
        ("the Janaozen massacre", "ru", "жанаозенская бойня", "жанаозенская"),
    ],
)
def test_a_derivation_stays_a_derived_term(source, lang, target, word):
    from brochure.check.qa import check_segment

    found = check_segment(INFLECTED_FORMS, source, target, "en", lang)
    assert [code for code, _ in found] == ["derived-term"]
    assert f"only «{word}»" in found[0][1]


def test_a_surname_alone_counts_only_for_people():
    from brochure.check.qa import check_segment

    tb = _terms(dict(id="kz", en="Republic of Kazakhstan", kk="Қазақстан Республикасы"))
    found = check_segment(tb, "the Republic of Kazakhstan", "Республикасы", "en", "kk")
    assert [code for code, _ in found] == ["derived-term"]


def test_strict_and_accept_through_the_cli(invoke, tmp_path):
    from brochure.store.xliff import open_store
    from test_schemas import xliff2

    fixed = dict(RU)
    fixed["Nur Otan lost 3 of 12 seats."] = "Nur Otan потерял 3 из 12 мест."
    project = make_project(tmp_path, fixed)
    store = open_store(project, project.documents[0], "ru")
    same = next(u.id for u in store.units() if u.source.text == "Workers of the world, unite!")
    assembly = next(u.id for u in store.units() if u.source.text.startswith("The Assembly"))
    assert invoke("check", "--lang", "ru", project.root).exit_code == 0  # warnings only
    result = invoke("check", "--strict", "--lang", "ru", project.root)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "0 error(s), 3 warning(s) in 7 segment(s) (ru)"

    path = project.root / "translations" / "a.ru.xlf"
    before = path.read_bytes()
    result = invoke("check", "--lang", "ru", "--accept", f"{same}:same-as-source", "--accept",
                    f"{assembly}:no-target-term:assembly", "--strict", project.root)  # fmt: skip
    assert result.exit_code == 1  # the unpaired bracket is not accepted
    assert f"{same}  accepted  same-as-source" in result.output
    assert f"{assembly}  accepted  no-target-term" in result.output
    assert f"{assembly}  warning  brackets" in result.output
    assert result.output.splitlines()[-1] == (
        "0 error(s), 1 warning(s) (and 2 accepted) in 7 segment(s) (ru)"
    )
    text = path.read_text(encoding="utf-8")
    assert '<note category="brochure:accepted">same-as-source</note>' in text
    assert '<note category="brochure:accepted">no-target-term:assembly</note>' in text
    assert len(path.read_bytes()) > len(before)
    xliff2(path)
    # accepting again changes nothing; the acceptance is kept when a target is set and saved
    invoke("check", "--lang", "ru", "--accept", f"{same}:same-as-source", project.root)
    assert path.read_text(encoding="utf-8").count("brochure:accepted") == 2
    store = open_store(project, project.documents[0], "ru")
    store.set_target(assembly, RichText("Ассамблея собралась (в Астане)."), "reviewed",
                     meta={"origin": "human"})  # fmt: skip
    store.save()
    xliff2(path)
    result = invoke("check", "--strict", "--json", "--lang", "ru", project.root)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["errors"], data["warnings"], data["accepted"]) == (0, 0, 2)
    assert {i["code"] for i in data["issues"] if i["accepted"]} == {
        "same-as-source",
        "no-target-term",
    }


def test_an_acceptance_covers_only_its_code_and_concept(invoke, tmp_path):
    fixed = dict(RU)
    fixed["Nur Otan lost 3 of 12 seats."] = "Nur Otan потерял 3 из 12 мест."
    project = make_project(tmp_path, fixed)
    from brochure.store.xliff import open_store

    store = open_store(project, project.documents[0], "ru")
    assembly = next(u.id for u in store.units() if u.source.text.startswith("The Assembly"))
    result = invoke("check", "--lang", "ru", "--accept", f"{assembly}:no-target-term:other",
                    "--accept", f"{assembly}:numbers", project.root)  # fmt: skip
    assert result.exit_code == 0
    assert "accepted  " not in result.output
    assert result.output.splitlines()[-1] == "0 error(s), 3 warning(s) in 7 segment(s) (ru)"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--accept", "nosuch:numbers", "--lang", "ru"], "no unit 'nosuch' in the ru translations"),
        (["--accept", "x:missing-term:y", "--lang", "ru"], "missing-term is an error"),
        (["--accept", "x", "--lang", "ru"], "write UNIT_ID:CODE or UNIT_ID:CODE:CONCEPT"),
        (["--accept", "x:numbers"], "name the translation's language with one --lang"),
    ],
)
def test_accept_bad_input(invoke, tmp_path, args, expected):
    project = make_project(tmp_path, RU)
    result = invoke("check", *args, project.root)
    assert result.exit_code == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: --accept: "), result.stderr
    assert expected in lines[0]


def test_the_seed_project_passes_check_strict(invoke, seed_project, monkeypatch):
    """Issue 13: the seeds' remaining warnings are reviewed and accepted per unit."""
    monkeypatch.setattr(load, "builtin_sources", BUILTIN_SOURCES)  # as the seeds use it
    result = invoke("check", "--strict", seed_project)
    assert result.exit_code == 0, result.output
    assert " 0 warning(s) (and " in result.output.splitlines()[-1]
