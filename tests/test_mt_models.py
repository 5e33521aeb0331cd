"""`brochure models list | install | remove`: argos packages validated before anything is extracted."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from brochure.cli import cli
from brochure.engines.packages import find_in_index, parse_index
from click.testing import CliRunner

pytest_plugins = ["conftest_mt"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def tree(folder: Path) -> list[str]:
    return (
        sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
        if folder.exists()
        else []
    )


def test_install_list_remove(tiny_models, models_dir):
    result = run("models", "install", str(tiny_models.en_ru))
    assert result.exit_code == 0, result.output
    assert result.output == f"installed translate-en_ru (en->ru, version 1.0) in {models_dir}\n"
    installed = models_dir / "translate-en_ru"
    assert sorted(p.name for p in installed.iterdir()) == [
        "README.md",
        "metadata.json",
        "model",
        "sentencepiece.model",
    ]
    assert not [
        p for p in models_dir.iterdir() if p.name.startswith(".")
    ]  # no temporary folder left

    assert run("models", "install", str(tiny_models.ru_kk)).exit_code == 0
    result = run("models", "list")
    assert result.output == (
        f"models in {models_dir}:\n  translate-en_ru  en->ru  1.0\n  translate-ru_kk  ru->kk  1.0\n"
    )
    # installing the same pair again replaces it
    result = run("models", "install", str(tiny_models.en_ru))
    assert result.output.startswith(
        "installed translate-en_ru (en->ru, version 1.0) (replaced 1.0)"
    )
    assert sorted(p.name for p in models_dir.iterdir()) == ["translate-en_ru", "translate-ru_kk"]

    assert run("models", "remove", "ru-kk").output == "removed translate-ru_kk (ru->kk)\n"
    assert run("models", "remove", "translate-en_ru").exit_code == 0
    assert list(models_dir.iterdir()) == []
    result = run("models", "remove", "en-ru")
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {models_dir}: no installed model 'en-ru' (installed: none); see `brochure models list`\n"
    )


def test_installed_folder_is_an_argos_packages_dir(tiny_models, models_dir):
    """The models folder keeps argos's layout, so argos itself could use it (ARGOS_PACKAGES_DIR)."""
    run("models", "install", str(tiny_models.en_ru_prefixed))
    meta = json.loads((models_dir / "translate-en_ru" / "metadata.json").read_text())
    assert meta["target_prefix"] == "rus_Cyrl"
    assert (models_dir / "translate-en_ru" / "model" / "model.bin").is_file()


def test_models_dir_from_project(tiny_models, models_dir, mini_project):
    toml = mini_project / "brochure.toml"
    toml.write_text(toml.read_text() + 'models_dir = "my-models"\n')  # MINI_TOML ends in [mt]
    result = run("models", "install", str(tiny_models.en_ru), str(mini_project))
    assert result.exit_code == 0, result.output
    assert (mini_project / "my-models" / "translate-en_ru" / "metadata.json").is_file()
    assert not models_dir.exists()


# -- bad packages: one line, exit 1, nothing left behind ----------------------------------------


def _members(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as z:
        return {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}


def _write(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name), data)
    return path


def _edit_metadata(members, change):
    out = dict(members)
    key = next(k for k in out if k.endswith("/metadata.json"))
    out[key] = change(json.loads(out[key]))
    return out


def _bad_package(kind: str, good: Path, dest: Path) -> Path:
    members = _members(good)
    top = next(iter(members)).split("/")[0]
    if kind == "not a zip":
        dest.write_bytes(b"this is not a zip file")
        return dest
    if kind == "corrupt":  # a member's bytes damaged: the CRC check catches it
        data = bytearray(good.read_bytes())
        with zipfile.ZipFile(good) as z:
            info = z.getinfo(f"{top}/metadata.json")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        for i in range(start, start + 8):
            data[i] ^= 0xFF
        dest.write_bytes(bytes(data))
        return dest
    if kind == "dotdot":
        members[f"{top}/../evil.txt"] = b"x"
    elif kind == "absolute":
        members["/tmp/evil.txt"] = b"x"
    elif kind == "flat":
        members = {name.split("/", 1)[1]: data for name, data in members.items()}
    elif kind == "two folders":
        members["other/README.md"] = b"x"
    elif kind == "no metadata":
        del members[f"{top}/metadata.json"]
    elif kind == "malformed metadata":
        members[f"{top}/metadata.json"] = b'{"from_code": "en", '
    elif kind == "missing fields":
        members = _edit_metadata(
            members, lambda m: json.dumps({"from_code": "en", "to_code": "ru"}).encode()
        )
    elif kind == "unknown language code":
        members = _edit_metadata(
            members, lambda m: json.dumps({**m, "to_code": "Russian"}).encode()
        )
    elif kind == "no model":
        del members[f"{top}/model/model.bin"]
    elif kind == "no tokenizer":
        del members[f"{top}/sentencepiece.model"]
    return _write(dest, members)


CASES = {
    "not a zip": "not a zip archive (an .argosmodel package is a zip file)",
    "corrupt": "corrupt zip",
    "dotdot": "unsafe member 'translate-en_ru-1_0/../evil.txt' ('..' in path)",
    "absolute": "unsafe member '/tmp/evil.txt' (absolute path)",
    "flat": "a package must hold exactly one top-level folder",
    "two folders": "a package must hold exactly one top-level folder (found 2 top-level entries)",
    "no metadata": "no translate-en_ru-1_0/metadata.json",
    "malformed metadata": "translate-en_ru-1_0: malformed metadata.json",
    "missing fields": "translate-en_ru-1_0: metadata.json lacks package_version",
    "unknown language code": "translate-en_ru-1_0: metadata.json to_code 'Russian' is not a language code",
    "no model": "no CTranslate2 model (translate-en_ru-1_0/model/model.bin is missing)",
    "no tokenizer": "no tokenizer (translate-en_ru-1_0/sentencepiece.model or translate-en_ru-1_0/bpe.model)",
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_bad_package(kind, tiny_models, models_dir, tmp_path):
    # a good package installed before must survive a failed install untouched
    assert run("models", "install", str(tiny_models.ru_kk)).exit_code == 0
    before = tree(models_dir)
    bad = _bad_package(kind, tiny_models.en_ru, tmp_path / f"{kind.replace(' ', '-')}.argosmodel")
    result = run("models", "install", str(bad))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {bad}: {CASES[kind]}"), lines[0]
    assert tree(models_dir) == before
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_missing_file(models_dir, tmp_path):
    result = run("models", "install", str(tmp_path / "nope.argosmodel"))
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nope.argosmodel'}: no such file\n"


# -- the package index ---------------------------------------------------------------------------

INDEX = [
    {"package_version": "1.9", "argos_version": "1.9.0", "from_code": "en", "from_name": "English",
     "to_code": "ru", "to_name": "Russian", "links": ["https://example.invalid/en_ru.argosmodel"]},
    {"type": "sbd", "from_code": "en", "links": ["https://example.invalid/sbd.argosmodel"]},
    {"package_version": "1.1", "from_code": "ru", "to_code": "en", "links": []},
    {"package_version": "1.0", "from_code": "en", "to_code": "ky", "links": ["https://example.invalid/en_ky"]},
]  # fmt: skip


def test_parse_index(tmp_path):
    index = tmp_path / "index.json"
    index.write_text(json.dumps(INDEX))
    entries = parse_index(index.read_bytes())
    assert [(e.from_code, e.to_code, e.version) for e in entries] == [
        ("en", "ru", "1.9"),
        ("en", "ky", "1.0"),
    ]
    assert find_in_index(entries, "en", "ru").links == ("https://example.invalid/en_ru.argosmodel",)
    with pytest.raises(Exception, match=r"no en->kk package \(pairs with en: en->ky, en->ru\)"):
        find_in_index(entries, "en", "kk")


def test_install_download_from_a_local_index(tiny_models, models_dir, tmp_path, monkeypatch):
    """The whole --download path, with file:// URLs: no socket is opened (conftest blocks them)."""
    entry = dict(INDEX[0], links=[tiny_models.en_ru.as_uri()])
    index = tmp_path / "index.json"
    index.write_text(json.dumps([entry]))
    monkeypatch.setenv("BROCHURE_PACKAGE_INDEX", index.as_uri())
    result = run("models", "install", "--download", "en", "ru")
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        f"installed translate-en_ru (en->ru, version 1.0) in {models_dir}\n"
    )
    assert sorted(p.name for p in models_dir.iterdir()) == ["translate-en_ru"]

    result = run("models", "install", "--download", "en", "kk")
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: the argos package index has no en->kk package (pairs with en: en->ru)"
    )
    assert sorted(p.name for p in models_dir.iterdir()) == ["translate-en_ru"]


def test_install_needs_a_package_or_download(models_dir):
    result = run("models", "install")
    assert result.exit_code == 2
    assert "give either PACKAGE or --download FROM TO" in result.output
