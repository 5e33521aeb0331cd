"""The benchmarks' generated text (bench/textgen.py) is in the language it is made for."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import textgen  # noqa: E402
from brochure.glossary.load import load_files  # noqa: E402
from lxml import etree  # noqa: E402


def _texts(lang: str) -> list[str]:
    """The seed translations' texts in `lang` and the built-in glossary's `lang` terms."""
    out = []
    ns = "{urn:oasis:names:tc:xliff:document:2.0}"
    for path in sorted((ROOT / "seeds" / "translations").glob("*.xlf")):
        root = etree.parse(str(path)).getroot()
        for side, attr in (("source", "srcLang"), ("target", "trgLang")):
            if root.get(attr) == lang:
                out += ["".join(el.itertext()) for el in root.iter(f"{ns}{side}")]
    glossary = ROOT / "glossary" / "political.tsv"
    termbase = load_files([(str(glossary), glossary.read_bytes())])
    out += [t.text for c in termbase for t in c.terms(lang) if not t.form]
    return out


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_own_words_are_whole_words_of_the_language(lang):
    """No fragment of a word of another language (Russian once held «аза», «стан», «мысшы» cut
    out of Kazakh words, Kazakh held «казахстана», «области»)."""
    words = {w.lower() for text in _texts(lang) for w in re.findall(r"\w+", text)}
    own = textgen.own_words(lang)
    assert len(own) > 1000
    strays = [w for w in own if w not in words]
    assert strays == []
