"""`brochure translate` consults the translation memory before any engine."""

from brochure.core.datamodel import RichText
from brochure.core.project import load_project
from brochure.engines import Hypothesis
from brochure.store.load import load_translations
from brochure.translate.fill import fill_missing
from conftest import write_project

TOML = (
    'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md", "b.md"]\n'
)


class UpperEngine:
    """A trivial engine: the source in capitals, so its drafts are recognisable."""

    name, model, version = "upper", "upper", "1"

    def __init__(self):
        self.seen: list[str] = []

    def translate(self, texts):
        self.seen.extend(texts)
        return [[Hypothesis(t.upper(), 0.0)] for t in texts]

    def signature(self):
        return "upper/1"


def test_exact_and_fuzzy_memory_matches_come_before_mt(tmp_path):
    folder = write_project(tmp_path / "p", TOML, {
        "a.md": "The general strike began in Zhanaozen today.\n",
        "b.md": "The general strike began in Zhanaozen today.\n\nThe general strike began in Zhanaozen yesterday.\n\nSomething else entirely.\n",
    })  # fmt: skip
    project = load_project(folder)
    segmented, stores = load_translations(project, ["ru"])
    a = stores[("a", "ru")]
    (seg,) = segmented["a"].segments
    a.set_target(seg.id, RichText("Всеобщая забастовка началась сегодня в Жанаозене."), "final")
    a.save()

    engine = UpperEngine()
    report = fill_missing(project, segmented, stores, ["ru"], engine=engine)
    b = stores[("b", "ru")]
    exact, fuzzy, other = (b.get(s.id) for s in segmented["b"].segments)
    assert exact.target.text == "Всеобщая забастовка началась сегодня в Жанаозене."
    assert exact.meta["origin"] == "memory"
    assert fuzzy.meta["origin"] == "memory-fuzzy" and fuzzy.state == "translated"
    assert any("memory match" in n.text for n in fuzzy.notes)
    assert other.target.text == "SOMETHING ELSE ENTIRELY." and other.meta["origin"] == "mt"
    assert engine.seen == ["Something else entirely."], "the engine only sees what the memory lacks"
    (lang,) = report.langs
    assert (lang.memory_exact, lang.memory_fuzzy) == (1, 1)


def _memory_only_project(tmp_path):
    folder = write_project(tmp_path / "p", TOML + '\n[[editions]]\nlanguages = ["en", "ru"]\n'
                           '\n[mt]\nengine = "none"\n', {
        "a.md": "The general strike began in Zhanaozen today.\n",
        "b.md": "The general strike began in Zhanaozen today.\n\nSomething else entirely.\n",
    })  # fmt: skip
    project = load_project(folder)
    segmented, stores = load_translations(project, ["ru"])
    (seg,) = segmented["a"].segments
    stores[("a", "ru")].set_target(
        seg.id, RichText("Всеобщая забастовка началась сегодня."), "final"
    )
    stores[("a", "ru")].save()
    return folder


def _b_targets(folder):
    project = load_project(folder)
    segmented, stores = load_translations(project, ["ru"])
    b = stores[("b", "ru")]
    return [
        (u.target.text if u.target else None)
        for u in (b.get(s.id) for s in segmented["b"].segments)
    ]


def test_engine_none_fills_from_memory_only_in_translate_and_build(tmp_path):
    """`[mt] engine = "none"`: `translate` and `build` agree: the memory fills, no engine runs."""
    from brochure.cli import cli
    from brochure.pipeline.build import build_project
    from click.testing import CliRunner

    folder = _memory_only_project(tmp_path)
    result = CliRunner().invoke(cli, ["translate", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        'ru: MT is off ([mt] engine = "none"); 1 segment(s) left empty',
        "ru: nothing to translate; 1 exact and 0 fuzzy memory match(es); "
        "1 already translated, 1 reviewed or final left alone",
    ]
    assert _b_targets(folder) == ["Всеобщая забастовка началась сегодня.", None]

    folder = _memory_only_project(tmp_path / "second")
    build_project(load_project(folder), render=lambda *a, **k: None, draft=True)
    assert _b_targets(folder) == ["Всеобщая забастовка началась сегодня.", None]


def test_memory_drafts_carry_the_source_spans(tmp_path):
    """The memory holds plain text; a draft from it gets the source segment's spans as an MT draft
    does (translate.spans): emphasis over the whole segment covers the draft, a link around a word
    the draft keeps as is is placed there, and one that cannot be placed is named in a note."""
    folder = write_project(tmp_path / "p", TOML, {
        "a.md": "The general strike began in Zhanaozen today.\n\nThe KTZh workers joined the strike.\n",
        "b.md": "*The general strike began in Zhanaozen today.*\n\n"
                "The [KTZh](https://example.org/ktzh) workers joined the strike.\n\n"
                "The general strike began in **Zhanaozen** yesterday.\n",
    })  # fmt: skip
    project = load_project(folder)
    segmented, stores = load_translations(project, ["ru"])
    a = stores[("a", "ru")]
    strike, ktzh = segmented["a"].segments
    a.set_target(strike.id, RichText("Всеобщая забастовка началась сегодня в Жанаозене."), "final")
    a.save()
    a.set_target(ktzh.id, RichText("Рабочие KTZh присоединились к забастовке."), "final")
    a.save()

    fill_missing(project, segmented, stores, ["ru"], engine=UpperEngine())
    b = stores[("b", "ru")]
    whole, link, partial = (b.get(s.id) for s in segmented["b"].segments)
    assert whole.meta["origin"] == "memory"
    assert [(s.start, s.end, s.kind) for s in whole.target.spans] == [
        (0, len(whole.target.text), "em")
    ]
    assert link.meta["origin"] == "memory"
    assert [(link.target.text[s.start : s.end], s.kind, s.target) for s in link.target.spans] == [
        ("KTZh", "link", "https://example.org/ktzh")
    ]
    assert partial.meta["origin"] == "memory-fuzzy" and partial.target.spans == ()
    assert [n.text for n in partial.notes if n.category == "markup"] == [
        "inline markup not carried into the machine draft: strong «Zhanaozen»"
    ]
