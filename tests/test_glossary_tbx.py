"""TBX (both forms other tools write) and CSV: import, export, round trips, and bad input."""

from __future__ import annotations

import pytest
from brochure.core.errors import GlossaryError
from brochure.glossary.csvio import csv_bytes, read_csv
from brochure.glossary.tbx import read_tbx, tbx_bytes
from brochure.glossary.tsv import concept_from_row

# TBX-Basic v2 as translate-toolkit writes it (martif, termEntry, langSet, tig), with a DOCTYPE
# naming a DTD that must never be fetched.
MARTIF = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE martif PUBLIC "ISO 12200:1999A//DTD MARTIF core (DXFcdV04)//EN" "http://example.invalid/TBXcdv04.dtd">
<martif type="TBX" xml:lang="en">
<martifHeader><fileDesc><sourceDesc><p>Translate Toolkit</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="general-strike">
  <descrip type="subjectField">labour</descrip>
  <langSet xml:lang="en"><tig><term>general strike</term>
    <termNote type="partOfSpeech">noun</termNote>
    <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>
  <langSet xml:lang="ru-RU">
    <tig><term>всеобщая забастовка</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <tig><term>всеобщая стачка</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
    <ntig><termGrp><term>генеральная забастовка</term>
      <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termGrp></ntig>
  </langSet>
  <langSet xml:lang="de"><tig><term>Generalstreik</term></tig></langSet>
</termEntry>
<termEntry>
  <note>no id: one is made from the English term</note>
  <langSet xml:lang="en"><tig><term>trade union</term></tig></langSet>
  <langSet xml:lang="kk"><tig><term>кәсіподақ</term></tig></langSet>
</termEntry>
</body></text>
</martif>
"""

TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>memoQ</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="oligarch">
      <descrip type="subjectField">economy</descrip>
      <langSec xml:lang="en"><termSec><term>oligarch</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
      <langSec xml:lang="kk">
        <termSec><term>олигарх</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>алпауыт</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_read_martif(tmp_path):
    path = tmp_path / "tt.tbx"
    path.write_text(MARTIF, encoding="utf-8")
    strike, union = read_tbx(path)
    assert strike.id == "general-strike"
    assert strike.domain == "labour" and strike.pos == "noun"
    assert strike.preferred == {"en": "general strike", "ru": "всеобщая забастовка"}
    assert strike.admitted == {"ru": ("всеобщая стачка",)}
    assert strike.forbidden == {"ru": ("генеральная забастовка",)}
    assert union.id == "trade-union"
    assert union.preferred == {"en": "trade union", "kk": "кәсіподақ"}
    assert union.note == "no id: one is made from the English term"


def test_read_tbx_v3(tmp_path):
    path = tmp_path / "v3.tbx"
    path.write_text(TBX3, encoding="utf-8")
    (oligarch,) = read_tbx(path)
    assert oligarch.id == "oligarch" and oligarch.domain == "economy"
    assert oligarch.preferred == {"en": "oligarch", "kk": "олигарх"}
    assert oligarch.forbidden == {"kk": ("алпауыт",)}


ROWS = [
    dict(id="elbasy", domain="people", pos="proper-noun", en="Yelbası", en_admitted="Elbasy", ru="Елбасы",
         ru_forbidden="лидер нации", kk="Елбасы", kk_forms="dat=Елбасына|gen=Елбасының",
         flags="indeclinable,case-sensitive", note="a title, not a name"),
    dict(id="oligarch", en="oligarch", ru="олигарх", kk="олигарх", kk_forbidden="алпауыт"),
]  # fmt: skip


def test_tbx_round_trip(tmp_path):
    concepts = [concept_from_row(r) for r in ROWS]
    path = tmp_path / "out.tbx"
    path.write_bytes(tbx_bytes(concepts))
    back = read_tbx(path)
    assert [c.to_row() for c in back] == [c.to_row() for c in concepts]
    assert b"deprecatedTerm-admn-sts" in path.read_bytes()


def test_csv_round_trip(tmp_path):
    concepts = [concept_from_row(r) for r in ROWS]
    path = tmp_path / "out.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes(concepts))  # as Excel saves it, with a BOM
    assert [c.to_row() for c in read_csv(path)] == [c.to_row() for c in concepts]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<martif><text><body><termEntry>\n<langSet xml:lang='en'><tig><term>x</tig>", ":2: malformed XML"),
        ("<martif><text><body><termEntry id='a'>\n<langSet xml:lang='en'><tig><term>x</term>"
         "\n<termNote type='administrativeStatus'>approvedTerm</termNote></tig></langSet></termEntry></body></text></martif>",
         ":3: unknown status 'approvedTerm'"),
        ("<martif><text><body><termEntry id='a'>\n<langSet xml:lang='e n'><tig><term>x</term></tig></langSet>"
         "</termEntry></body></text></martif>", ":2: invalid language code 'e n'"),
        ("<html/>", ":1: not a TBX file"),
    ],
)  # fmt: skip
def test_bad_tbx(tmp_path, text, message):
    path = tmp_path / "bad.tbx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        read_tbx(path)
    assert str(info.value).startswith(f"{path}{message}")


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    path = tmp_path / "xxe.tbx"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        "<martif><text><body><termEntry id='a'><langSet xml:lang='en'><tig><term>a&x;</term></tig>"
        "</langSet></termEntry></body></text></martif>",
        encoding="utf-8",
    )
    concepts = read_tbx(path)
    assert all("SECRET" not in c.preferred.get("en", "") for c in concepts)
