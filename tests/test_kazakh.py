"""Kazakh checks that need no model, on golden cases and on the seed translations."""

import pytest
from brochure.check.kazakh import check_kazakh, mixed_script_words, numbers
from brochure.core.project import load_project
from brochure.store.xliff import open_store
from conftest import SEEDS


def codes(source, target):
    return [p.code for p in check_kazakh(source, target)]


def test_latin_lookalike_letter_is_caught():
    # "Жаңаөзен" with a Latin "a" and "Ереуiл" with a Latin "i"
    target = "Жaңаөзенде жалпы ереуiл басталды."
    assert mixed_script_words(target) == ["Жaңаөзенде", "ереуiл"]
    problems = check_kazakh("A general strike began in Zhanaozen.", target)
    assert [p.code for p in problems] == ["mixed-script", "mixed-script"]
    assert "(a)" in problems[0].message and "(i)" in problems[1].message


def test_arabic_script_is_caught():
    assert codes("Workers.", "جۇمىسشىلار") == ["arabic-script"]


def test_missing_number_is_caught():
    assert codes("As early as 4 January, 40,000 workers were laid off.",
                 "4 қаңтарда жұмысшылар жұмыстан шығарылды.") == ["number-missing"]  # fmt: skip


def test_missing_month_is_caught_but_not_the_verb_may():
    assert codes("On 16 December they struck.", "16 қаңтарда ереуіл болды.") == ["date-missing"]
    assert codes("This may turn against them.", "Бұл оларға қарсы бұрылуы мүмкін.") == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("40,000 workers", "40 000 жұмысшы"),
        ("a 75% stake", "75%-дық үлес"),
        ("almost 8 months", "сегіз айға жуық"),
        ("Jun. 30 – Jul. 1", "30 маусым – 1 шілде"),
        ("Acronyms such as WTO may stay Latin", "WTO сияқты қысқартулар латынша қалуы мүмкін"),
    ],
)
def test_correct_targets_pass(source, target):
    assert check_kazakh(source, target) == []


def test_number_normalisation():
    assert numbers("40,000 and 40 000 and 3.5 and 3,5 and 1993") == [
        "40000",
        "40000",
        "3.5",
        "3.5",
        "1993",
    ]


def test_seed_kazakh_translations_pass():
    project = load_project(SEEDS)
    checked = 0
    for document in project.documents:
        store = open_store(project, document, "kk")
        for unit in store.units():
            # approved: units edited in the 2026 content review stay `reviewed` until a native editor signs off
            assert unit.state in ("reviewed", "final")
            assert check_kazakh(unit.source.text, unit.target.text) == [], unit.id
            checked += 1
    assert checked == 80


def test_brochure_check_reports_kazakh_problems(invoke, seed_project):
    import json

    xlf = seed_project / "translations" / "statement-2022-01-07.kk.xlf"
    text = xlf.read_text(encoding="utf-8")
    assert "40 000" in text and "Қазақстанда" in text
    text = text.replace("40 000", "40", 1).replace("Қазақстанда", "Қазaқстанда", 1)  # Latin "a"
    xlf.write_text(text, encoding="utf-8")
    result = invoke("check", seed_project, "--lang", "kk", "--json")
    assert result.exit_code == 1
    issues = json.loads(result.output)["issues"]
    codes = {(i["code"], i["severity"]) for i in issues}
    assert ("mixed-script", "error") in codes
    assert ("number-missing", "warning") in codes
    assert any("Қазaқстанда" in i["message"] for i in issues if i["code"] == "mixed-script")
