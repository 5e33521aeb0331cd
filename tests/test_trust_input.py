"""Input robustness beyond the bad-input table: folders the tool may not write, the operating
system's errors as one line, stale temporary files, the Kazakh date check, English sentence
boundaries, and the project's own segmentation rules."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from brochure.cli import cli
from click.testing import CliRunner

BASE = 'title = "T"\nsource_language = "en"\ntarget_languages = ["ru"]\ndocuments = ["a.md"]\n'


def run(*args: object, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True, **kwargs)


def one_error_line(result) -> str:
    assert result.exit_code == 1, (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def project(
    folder: Path, toml: str = BASE, text: str = "# Title\n\nFirst one. Second one.\n"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "brochure.toml").write_text(toml, encoding="utf-8")
    (folder / "a.md").write_text(text, encoding="utf-8")
    return folder


# -- folders the tool may not write -------------------------------------------------------------
@contextmanager
def read_only(folder: Path):
    """Make `folder` unwritable, also for root (which ignores permission bits): the immutable
    attribute (chattr +i) as root, the permission bits otherwise."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a folder read-only")
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i is not supported here: {done.stderr.decode().strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("folder", ["build", "translations", "glossary", ".brochure", "models"])
def test_a_read_only_folder_gives_one_line_naming_it(tmp_path: Path, folder: str, monkeypatch):
    p = tmp_path / "p"
    assert run("init", p).exit_code == 0
    monkeypatch.setenv("BROCHURE_MODELS_DIR", str(tmp_path / "models"))
    if folder == "build":
        command = ("build", p)
    elif folder == "translations":
        (p / "text.md").write_text("# My Brochure\n\nA new sentence here.\n", encoding="utf-8")
        command = ("build", p, "--draft", "--no-mt")
    elif folder == "glossary":
        command = ("glossary", "add", "--en", "strike", "--ru", "забастовка", p)
    elif folder == ".brochure":
        shutil.rmtree(p / ".brochure", ignore_errors=True)
        (p / "memory").mkdir()
        command = ("build", p)
    else:
        from tinymodels import build_argos_package

        package = build_argos_package(tmp_path / "pkg", "en", "ru")
        command = ("models", "install", package)
    target = tmp_path / "models" if folder == "models" else p / folder
    target.mkdir(exist_ok=True)
    before = snapshot(tmp_path)
    with read_only(target):
        result = run(*command)
    assert result.exit_code == 1, (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    errors = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert len(errors) == 1 and result.stderr.strip().endswith(errors[0]), result.stderr
    line = errors[0]
    assert folder in line, line
    assert "permission" in line or "not permitted" in line or "read-only" in line, line
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if k in before} == before
    new = [k for k in after if k not in before and ".brochure" not in k and "pkg" not in k]
    if folder == ".brochure":  # the PDF is written before the build state fails to be recorded
        new = [k for k in new if not k.startswith("p/build/")]
    assert not new


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.ENOSPC, "no space left"),
        (errno.EDQUOT, "quota"),
        (errno.EROFS, "read-only"),
        (errno.ENAMETOOLONG, "too long"),
        (errno.EISDIR, "is a folder"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_os_errors_become_one_line_naming_the_file(number: int, words: str):
    from brochure.core.errors import os_error_message

    message = os_error_message(OSError(number, os.strerror(number), "build/x.pdf"))
    assert message.startswith("build/x.pdf: ") and words in message and "\n" not in message


def test_disk_full_during_a_write_names_the_file(tmp_path: Path):
    """/dev/full fails every write with ENOSPC: the atomic writer reports the file it was writing
    and leaves nothing behind."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    from brochure.core.atomic import atomic_path

    out = tmp_path / "out.txt"
    with pytest.raises(OSError) as info, atomic_path(out) as tmp:
        with open(tmp, "wb") as f, open("/dev/full", "wb") as full:
            f.write(b"x")
            full.write(b"x" * 4096)
            full.flush()
    assert info.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []


# -- stale temporaries --------------------------------------------------------------------------
def test_stale_temporaries_of_killed_runs_are_cleaned_up(tmp_path: Path):
    p = tmp_path / "p"
    assert run("init", p).exit_code == 0
    assert run("build", p).exit_code == 0
    old = time.time() - 3 * 3600
    dead_pid = 2**22 + 12345  # above pid_max's default: no such process
    stale = [
        p / "build" / f".p.en-ru.pdf.{dead_pid}.abcd1234.tmp",
        p / "translations" / f".text.ru.xlf.{dead_pid}.abcd1234.tmp",
        p / "glossary" / ".terms.tsv.k2j3h4g5.tmp",  # an older name without the process id
    ]
    (p / "glossary").mkdir(exist_ok=True)
    for path in stale:
        path.write_bytes(b"half a file")
        os.utime(path, (old, old))
    fresh = p / "translations" / f".text.ru.xlf.{os.getpid()}.zzzz9999.tmp"  # a live writer's
    fresh.write_bytes(b"being written")
    mine_not = p / "translations" / "notes.tmp"  # not ours: never touched
    mine_not.write_bytes(b"a person's file")
    os.utime(mine_not, (old, old))
    (p / "text.md").write_text("# My Brochure\n\nChanged.\n", encoding="utf-8")
    assert run("build", p, "--draft").exit_code == 0
    assert [s for s in stale if s.exists()] == []
    assert fresh.exists() and mine_not.exists()


# -- the Kazakh date check ----------------------------------------------------------------------
def test_kazakh_check_of_an_abbreviated_month(tmp_path: Path):
    toml = BASE.replace('["ru"]', '["kk"]')
    p = project(tmp_path / "p", toml, "The strike began on 8 Mar 2022.\n")
    assert run("build", p, "--draft", "--no-mt").exit_code == 0
    store = p / "translations" / "a.kk.xlf"
    text = store.read_text(encoding="utf-8")
    store.write_text(
        text.replace("</source>", "</source>\n      <target>Ереуіл 2022 жылы басталды.</target>"),
        encoding="utf-8",
    )
    result = run("check", p, "--json")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    issues = json.loads(result.output)["issues"]
    assert any(i["code"] == "date-missing" and "наурыз" in i["message"] for i in issues), issues


# -- English sentence boundaries ----------------------------------------------------------------
SPLITS = [
    (
        "He said: “We will continue.” The title was new.",
        ["He said: “We will continue.”", "The title was new."],
    ),
    (
        'They promised it this year." Nobody believed him!',
        ['They promised it this year."', "Nobody believed him!"],
    ),
    ("“Will you come?” She did not answer.", ["“Will you come?”", "She did not answer."]),
    (
        "The march began at 5 p.m. The police came.",
        ["The march began at 5 p.m.", "The police came."],
    ),
    ("They met at 9 a.m. Nobody came.", ["They met at 9 a.m.", "Nobody came."]),
    (
        "He moved to the U.S. The next year he returned.",
        ["He moved to the U.S.", "The next year he returned."],
    ),
    # no break
    ("The U.S. Army came.", ["The U.S. Army came."]),
    ("Meet at 5 p.m. tomorrow.", ["Meet at 5 p.m. tomorrow."]),
    ("“We will win!” he said.", ["“We will win!” he said."]),
    (
        "He said: “We will continue. The title is new.” Then he left.",
        ["He said: “We will continue. The title is new.”", "Then he left."],
    ),
    ("Dr. Smith arrived.", ["Dr. Smith arrived."]),
    ("«Мы победим!» – сказал он. Потом ушёл.", ["«Мы победим!» – сказал он.", "Потом ушёл."]),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS, ids=[t[:30] for t, _ in SPLITS])
def test_english_sentence_boundaries(text: str, expected: list[str]):
    from brochure.segmentation.rules import get_segmenter

    lang = "ru" if text.startswith("«") else "en"
    spans = get_segmenter(lang).split(text)
    assert [text[a:b] for a, b in spans] == expected


# -- the project's own rules and in-source marks ------------------------------------------------
def segments(p: Path) -> list[str]:
    result = run("segments", "--json", p / "a.md")
    assert result.exit_code == 0, result.output
    return [s["text"] for b in json.loads(result.output)["blocks"] for s in b["segments"]]


def test_project_rules_add_and_remove_abbreviations_and_force_or_forbid_breaks(tmp_path: Path):
    text = "He lives on Main Ave. Ten farms. See Art. 5 of the law. Item one; Item two. It is Jun. Then July.\n"
    p = project(tmp_path / "p", BASE, text)
    assert segments(p) == [
        "He lives on Main Ave.", "Ten farms.", "See Art.", "5 of the law.", "Item one; Item two.",
        "It is Jun. Then July.",
    ]  # fmt: skip
    rules = """
[segmentation]
abbreviations = { en = ["Ave."] }
remove_abbreviations = { en = ["Jun."] }

[[segmentation.rules]]
break = false
before = '\\bArt\\.'
after = '\\s+\\d'

[[segmentation.rules]]
lang = "en"
break = true
before = ';'
after = '\\s+Item'
"""
    project(p, BASE + rules, text)
    assert segments(p) == [
        "He lives on Main Ave. Ten farms.", "See Art. 5 of the law.", "Item one;", "Item two.",
        "It is Jun.", "Then July.",
    ]  # fmt: skip


def test_break_and_join_marks_in_the_source(tmp_path: Path):
    text = (
        "# Title\n\nHe served as a Capt. <!--break--> It was adopted. "
        "He joined the K.G.B. <!--join--> Border Guards. Then he left.\n"
    )
    p = project(tmp_path / "p", BASE, text)
    assert segments(p) == [
        "Title", "He served as a Capt.", "It was adopted.",
        "He joined the K.G.B. Border Guards.", "Then he left.",
    ]  # fmt: skip
    without = project(
        tmp_path / "q", BASE, text.replace(" <!--break-->", "").replace(" <!--join-->", "")
    )
    assert segments(without)[1:] == [
        "He served as a Capt. It was adopted.",
        "He joined the K.G.B.",
        "Border Guards.",
        "Then he left.",
    ]


@pytest.mark.parametrize(
    ("rule", "key"),
    [
        ("break = 'yes'\nbefore = 'a'", "segmentation.rules[0].break"),
        ("break = true\nbefore = '('", "segmentation.rules[0].before"),
        ("break = true", "segmentation.rules[0]"),
        ("break = true\nbefore = 'a'\nlang = 'xx'", "segmentation.rules[0].lang"),
        ("break = true\nbefore = 'a'\ncolour = 1", "segmentation.rules[0].colour"),
    ],
)
def test_bad_segmentation_rules_are_reported_with_their_key(tmp_path: Path, rule: str, key: str):
    p = project(tmp_path / "p", BASE + "\n[[segmentation.rules]]\n" + rule + "\n")
    line = one_error_line(run("build", p))
    assert f"brochure.toml: {key}: " in line, line


RUN = "a" * 30000  # (a+)+$ and (a|aa)+$ try ever more ways to cut a long run of a


@pytest.mark.parametrize(
    ("rule", "text", "key"),
    [
        ("break = false\nbefore = 'Stop\\.'\nafter = '\\s+(a+)+$'", f"Stop. {RUN}!", "rules[0].after"),
        ("break = false\nbefore = 'Stop\\.'\nafter = '\\s+(a|aa)+$'", f"Stop. {RUN}!", "rules[0].after"),
        ("break = false\nbefore = '(a|aa)+b'", f"{RUN}. Next.", "rules[0].before"),
        ("break = true\nbefore = '(a|aa)+c'\nafter = 'b'", f"{RUN} and more", "rules[0]"),
    ],
    ids=["after", "after-alternation", "before", "break-finder"],
)  # fmt: skip
def test_a_catastrophic_rule_pattern_is_one_line_not_a_hang(
    tmp_path: Path, monkeypatch, rule: str, text: str, key: str
):
    """A project's pattern runs on the `regex` engine with a time budget: however it is written,
    it cannot hang a run. (The budget is made small here only to keep the test quick.)"""
    from brochure.segmentation import rules

    monkeypatch.setattr(rules, "RULE_CALL_SECONDS", 0.3)
    monkeypatch.setattr(rules, "RULE_SECONDS_PER_MB", 1.0)
    p = project(tmp_path / "p", BASE + "\n[[segmentation.rules]]\n" + rule + "\n", text + "\n")
    line = one_error_line(run("segments", "--json", p / "a.md"))
    toml = p / "brochure.toml"
    assert line == f"Error: {toml}: segmentation.{key}: {rules.SLOW_PATTERN}", line


def test_sound_rule_patterns_stay_within_the_budget_on_a_long_text(tmp_path: Path):
    """The budget grows with the text: a sound rule on a long paragraph is never refused."""
    rule = "[[segmentation.rules]]\nbreak = false\nbefore = '\\bArt\\.'\nafter = '\\s+\\d'\n"
    text = "See Art. 5 of the law. " * 20000 + "\n"
    p = project(tmp_path / "p", BASE + rule, text)
    assert segments(p)[:2] == ["See Art. 5 of the law.", "See Art. 5 of the law."]


# -- check: no false positives --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "target", "lang", "codes"),
    [
        # «ауылдардан» (from the villages) is not the party «Ауыл»: the source does not name it
        ("People left the villages.", "Адамдар ауылдардан кетті.", "kk", []),
        # the party named in the source: its name must keep its capital
        ("The Auyl party won.", "Ауыл партиясы жеңді.", "kk", []),
        ("The Auyl party won.", "ауыл партиясы жеңді.", "kk", ["term-case"]),
        # "We demand" is the verb: no noun «требование» asked for
        ("We demand higher wages.", "Мы требуем повышения зарплат.", "ru", []),
        ("They want to demand more.", "Они хотят требовать большего.", "ru", []),
        # the noun is still checked
        ("Our demand is clear.", "Наше требование ясно.", "ru", []),
        ("Our demand is clear.", "Наша просьба ясна.", "ru", ["missing-term"]),
    ],
)
def test_check_has_no_false_positives(source: str, target: str, lang: str, codes: list[str]):
    from brochure.check.qa import check_segment
    from brochure.glossary.load import load_termbase

    found = [code for code, _ in check_segment(load_termbase(None), source, target, "en", lang)]
    assert found == codes


# -- machine translation: one language's setup does not stop the others --------------------------
pytest_plugins = ["conftest_mt"]


def test_a_misconfigured_language_does_not_stop_the_others(installed, mini_project):
    """[mt.engines.kk] names a model folder that does not exist: Russian is still drafted and
    saved, Kazakh gets no drafts, and the command ends with one line saying why (exit 1)."""
    import re

    toml = mini_project / "brochure.toml"
    toml.write_text(
        toml.read_text() + '\n[mt.engines.kk]\nengine = "ct2"\nmodel = "no/such/model"\n'
    )
    xlf = mini_project / "translations" / "text.ru.xlf"
    units = re.findall(r"<unit .*?</unit>", xlf.read_text(encoding="utf-8"), flags=re.DOTALL)
    text = xlf.read_text(encoding="utf-8")
    for unit in units[:2]:  # two Russian units become untranslated again
        text = text.replace(unit, re.sub(r'state="\w+"', 'state="initial"',
                                         re.sub(r"<target>.*?</target>", "", unit)))  # fmt: skip
    xlf.write_text(text, encoding="utf-8")
    result = run("translate", mini_project)
    assert result.exit_code == 1, result.output
    errors = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert len(errors) == 1 and "no/such/model" in errors[0], result.stderr
    assert "ru: 2 segment(s) drafted by argos/translate-en_ru" in result.stdout
    assert "kk: no machine translation:" in result.stdout
    assert xlf.read_text(encoding="utf-8").count('state="translated"') == 2
    assert not (mini_project / "translations" / "text.kk.xlf").exists() or (
        "<target>"
        not in (mini_project / "translations" / "text.kk.xlf").read_text(encoding="utf-8")
    )


def test_the_progress_bar_moves_before_the_end(installed, mini_project, monkeypatch):
    """Engine calls are small enough that the bar moves during a normal brochure, per segment."""
    from brochure.translate import fill

    updates: list[int] = []

    class Bar:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, n):
            updates.append(n)

    monkeypatch.setattr(fill, "_progress_bar", lambda total, desc, show: Bar())
    monkeypatch.setattr(fill, "MIN_CHUNK", 1)  # the mini project has only 5 segments
    calls: list[int] = []
    real = fill.MTCache.put

    def put(self, signature, results):
        calls.append(len(results))
        return real(self, signature, results)

    monkeypatch.setattr(fill.MTCache, "put", put)
    assert run("translate", mini_project, "--lang", "kk").exit_code == 0
    assert updates == [1] * 5
    assert len(calls) == 5  # one engine call per step, not one for everything
