"""The workbench's context panel API (workbench/context.py), in-process: the glossary concepts of a
unit with the forms to insert, forbidden terms found as the target is typed, memory matches, and a
machine draft from a tiny real model (tests/tinymodels.py) with the glossary's choice marked."""

from __future__ import annotations

from brochure.store.xliff import TranslationFile
from conftest_workbench import BASE, api_post

pytest_plugins = ["conftest_mt", "conftest_workbench"]

DOC, LANG = "statement-2022-01-07", "ru"
UPRISING = "sb8ecbf7db85d"  # "In Kazakhstan, there is now a real popular uprising."
STRIKES = "s129cd3c8bab9"  # "... strikes of miners of ArcelorMittal Temirtau ..."
TMX = """\
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" o-tmf="none" adminlang="en" datatype="plaintext"
          creationtoolversion="1" segtype="sentence" srclang="en"/>
  <body>
    <tu>
      <tuv xml:lang="en"><seg>In Kazakhstan, there is now a real popular revolt.</seg></tuv>
      <tuv xml:lang="ru"><seg>В Казахстане сейчас идёт настоящий народный бунт.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def context(client, keys, uid, doc=DOC, lang=LANG):
    return client.get(
        "/api/context", params={"token": keys.token, "doc": doc, "lang": lang, "id": uid}
    )


def post(client, keys, path, body):
    return api_post(client, keys, path, body)


def test_the_concepts_of_a_unit_with_the_form_to_insert(client, keys):
    reply = context(client, keys, STRIKES)
    assert reply.status_code == 200, reply.text
    concepts = {c["id"]: c for c in reply.json()["concepts"]}
    strike = concepts["strike"]
    assert strike["source"] == "strikes" and strike["approved"][0] == "забастовка"
    assert strike["insert"] == "забастовки"  # plural, like the English word
    forms = {f["form"]: f["tags"] for f in strike["forms"]}
    assert forms["забастовок"] == "pl.gen" and forms["забастовкой"] == "ins"
    kk = {c["id"]: c for c in context(client, keys, STRIKES, lang="kk").json()["concepts"]}
    assert kk["strike"]["insert"] == "ереуілдер"
    uprising = {c["id"]: c for c in context(client, keys, UPRISING).json()["concepts"]}
    assert uprising["kazakhstan"]["forbidden"] == ["Қазақстан"]  # the Kazakh spelling, in Russian


def test_memory_matches_with_score_and_origin_and_no_model_no_draft(
    client, keys, seed_project, models_dir
):
    assert context(client, keys, UPRISING).json()["memory"] == []  # only its own translation
    (seed_project / "memory").mkdir()
    (seed_project / "memory" / "extra.tmx").write_text(TMX, encoding="utf-8")
    data = context(client, keys, UPRISING).json()
    [match] = data["memory"]
    assert match["target"] == "В Казахстане сейчас идёт настоящий народный бунт."
    assert match["origin"].startswith("memory/extra.tmx") and 80 <= match["score"] < 100
    assert data["mt"]["available"] is False and "no argos model" in data["mt"]["message"]
    reply = post(client, keys, "draft", {"doc": DOC, "lang": LANG, "id": UPRISING})
    assert reply.status_code == 400 and "brochure models install" in reply.json()["error"]


def test_forbidden_terms_are_found_as_the_target_is_typed(client, keys):
    typed = "В Казахстане _общая забастовка_, общей забастовки нет."
    reply = post(client, keys, "check", {"doc": DOC, "lang": LANG, "id": UPRISING, "target": typed})
    assert reply.status_code == 200, reply.text
    data = reply.json()
    assert [(f["text"], f["concept"]) for f in data["forbidden"]] == [
        ("общая забастовка", "general-strike"), ("общей забастовки", "general-strike"),
    ]  # fmt: skip
    assert data["forbidden"][0]["use"] == "всеобщая забастовка"
    marked = [(p["text"], p["kinds"]) for p in data["pieces"] if p["kinds"]]
    assert marked == [
        ("общая забастовка", ["em", "forbidden"]), ("общей забастовки", ["forbidden"]),
    ]  # fmt: skip
    assert "".join(p["text"] for p in data["pieces"]) == typed.replace("_", "")
    fixed = typed.replace("общая забастовка", "всеобщая забастовка").replace("общей", "всеобщей")
    again = post(client, keys, "check", {"doc": DOC, "lang": LANG, "id": UPRISING, "target": fixed})
    assert again.json()["forbidden"] == []


def test_a_machine_draft_from_the_n_best_list_with_the_glossarys_choice(
    client, keys, seed_project, installed
):
    data = context(client, keys, STRIKES).json()
    assert data["mt"]["available"] is True and data["mt"]["engine"].startswith("argos/")
    before = (seed_project / "translations" / f"{DOC}.{LANG}.xlf").read_bytes()
    reply = post(client, keys, "draft", {"doc": DOC, "lang": LANG, "id": STRIKES})
    assert reply.status_code == 200, reply.text
    draft = reply.json()
    source = (
        TranslationFile.open(seed_project / "translations" / f"{DOC}.{LANG}.xlf", "en", LANG, DOC)
        .get(STRIKES)
        .source.text
    )
    hyps = draft["hypotheses"]
    assert hyps and sum(h["chosen"] for h in hyps) == 1
    # the tiny model copies its source (and turns "workers" into «рабочие»)
    assert hyps[0]["text"] == source.replace("workers", "рабочие")
    assert hyps[0]["chosen"] and draft["draft"] == hyps[0]["text"]  # nothing to choose for
    assert any(note.startswith("glossary:") for note in draft["notes"])  # English terms left
    # a project glossary forbids words only the engine's best hypothesis has: another is chosen
    (seed_project / "glossary").mkdir()
    (seed_project / "glossary" / "terms.tsv").write_text(
        "id\tru_forbidden\nnot-of-miners\tof miners\n", encoding="utf-8"
    )
    again = post(client, keys, "draft", {"doc": DOC, "lang": LANG, "id": STRIKES}).json()
    chosen = [i for i, h in enumerate(again["hypotheses"]) if h["chosen"]]
    assert chosen != [0] and len(chosen) == 1
    assert again["hypotheses"][chosen[0]]["text"] == again["draft"]
    assert "of miners" not in again["draft"]
    assert again["notes"][0].startswith(f"glossary: chose hypothesis {chosen[0] + 1} of")
    assert (seed_project / "translations" / f"{DOC}.{LANG}.xlf").read_bytes() == before  # no write


def test_the_context_api_is_guarded_like_every_other(client, keys, seed_project):
    unit = {"doc": DOC, "lang": LANG, "id": UPRISING}
    assert client.get("/api/context", params=unit).status_code == 403  # no token
    assert client.get("/api/context", params={**unit, "token": "wrong"}).status_code == 403
    foreign = client.get("/api/context", params={**unit, "token": keys.token},
                         headers={"Host": "evil.example:8765"})  # fmt: skip
    assert foreign.status_code == 403
    for path, body in (("check", {**unit, "target": "x"}), ("draft", unit)):
        url = f"/api/{path}?token={keys.token}"
        assert client.post(url, json=body, headers={"Origin": BASE}).status_code == 403  # no CSRF
        assert client.post(url, json=body, headers={"X-CSRF-Token": keys.csrf}).status_code == 403
        evil = {"X-CSRF-Token": keys.csrf, "Origin": "http://evil.example"}
        assert client.post(url, json=body, headers=evil).status_code == 403
        assert post(client, keys, path, {**body, "doc": "../../secret"}).status_code == 404
        assert post(client, keys, path, {**body, "lang": "../en"}).status_code == 404
        assert post(client, keys, path, {**body, "id": 5}).status_code == 400
    (seed_project.parent / "secret.txt").write_text("private")
    reply = context(client, keys, UPRISING, doc="../secret")
    assert reply.status_code == 404 and "private" not in reply.text
    assert context(client, keys, "s000000000000").status_code == 404


def test_texts_in_the_context_are_data_not_markup(client, keys):
    attack = "<script>alert(1)</script> общая забастовка"
    data = post(client, keys, "check", {"doc": DOC, "lang": LANG, "id": UPRISING, "target": attack})
    assert data.json()["pieces"][0]["text"].startswith("<script>")  # JSON text: set as textContent
    script = client.get(f"/static/context.js?token={keys.token}").text
    assert "innerHTML" not in script and "textContent" in script


def test_the_context_of_a_unit_not_saved_yet(client, keys, seed_project):
    from brochure.core.project import load_project
    from brochure.segmentation.documents import segment_source

    source = seed_project / f"{DOC}.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\nThe oil workers called a general strike.\n",
        encoding="utf-8",
    )
    project = load_project(seed_project)
    document = next(d for d in project.documents if d.name == DOC)
    [new] = [s for s in segment_source(project, document).segments if "called a general" in s.text]
    assert new.id not in (seed_project / "translations" / f"{DOC}.{LANG}.xlf").read_text("utf-8")
    data = context(client, keys, new.id).json()
    assert {c["id"] for c in data["concepts"]} >= {"oil-workers", "general-strike"}
