"""Fixtures for the machine-translation tests: tiny real models, built once per session.

Loaded by the tests/test_mt_*.py modules with `pytest_plugins = ["conftest_mt"]`. Network sockets
are blocked for every test by tests/conftest.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import tinymodels
from miniproject import MINI_TEXT, MINI_TOML


@dataclass(frozen=True)
class TinyModels:
    en_ru: Path  # .argosmodel packages in argos's own format, built outside any project
    ru_kk: Path
    en_ru_prefixed: Path  # an argos package with an NLLB-style target prefix (rus_Cyrl)
    nllb: Path  # a CTranslate2 model folder: eng_Latn source token, kaz_Cyrl target prefix


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    root = tmp_path_factory.mktemp("tiny-models")
    prefixed = root / "prefixed"
    prefixed.mkdir()
    return TinyModels(
        en_ru=tinymodels.build_argos_package(root, "en", "ru"),
        ru_kk=tinymodels.build_argos_package(root, "ru", "kk"),
        en_ru_prefixed=tinymodels.build_argos_package(
            prefixed, "en", "ru", target_prefix="rus_Cyrl"
        ),
        nllb=tinymodels.build_nllb_model(root / "nllb-en-kk"),
    )


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty models folder, made the default through BROCHURE_MODELS_DIR."""
    folder = tmp_path / "models"
    monkeypatch.setenv("BROCHURE_MODELS_DIR", str(folder))
    return folder


@pytest.fixture
def installed(tiny_models: TinyModels, models_dir: Path) -> Path:
    """en->ru and ru->kk installed (so en->kk goes through ru)."""
    from brochure.engines.packages import install_package

    install_package(tiny_models.en_ru, models_dir)
    install_package(tiny_models.ru_kk, models_dir)
    return models_dir


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """A small seed-like project: en source, ru translated by hand, kk not translated yet."""
    from brochure.core.datamodel import RichText
    from brochure.core.project import load_project
    from brochure.store.load import load_translations

    root = tmp_path / "mini"
    root.mkdir()
    (root / "text.md").write_text(MINI_TEXT, encoding="utf-8")
    (root / "brochure.toml").write_text(MINI_TOML, encoding="utf-8")
    project = load_project(root)
    segmented, stores = load_translations(project, ["ru"])
    store = stores[("text", "ru")]
    for seg in segmented["text"].segments:
        store.set_target(seg.id, RichText(f"[ru] {seg.text}"), "final", meta={"origin": "human"})
    store.save()
    return root
