"""Installed translation models: where they live, and `brochure models list | install | remove`.

The models folder holds one folder per argos package (metadata.json, model/, sentencepiece.model or
bpe.model), the layout argos itself uses, so the same folder also works as ARGOS_PACKAGES_DIR.
A package is validated completely before anything is extracted, extracted into a temporary folder
inside the models folder, then renamed into place: a failed install leaves nothing behind.

`install --download FROM TO` is the only network use of the whole toolkit, and only when asked.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from brochure.core.errors import BrochureError, ModelNotInstalled, ModelPackageError
from brochure.core.zipguard import check_expansion

if TYPE_CHECKING:
    from brochure.core.project import Project

ENV_MODELS_DIR = "BROCHURE_MODELS_DIR"
ENV_PACKAGE_INDEX = "BROCHURE_PACKAGE_INDEX"  # a URL (https:// or file://) of an argospm index.json
PACKAGE_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
REQUIRED_FIELDS = ("from_code", "to_code", "package_version")
TOKENIZERS = ("sentencepiece.model", "bpe.model")
_CODE = re.compile(r"^[a-z]{2,3}$")  # ISO 639-1 or -3, as argos packages use
_TMP_PREFIX = ".installing-"
# Limits on what an install may unpack. Argos packages are 30-300 MB; model weights compress
# little (float numbers), so a member that expands more than BOMB_RATIO times is not a model.
MAX_UNPACKED_BYTES = 4 << 30
BOMB_RATIO = 50
BOMB_MIN_BYTES = 8 << 20  # small members (metadata, vocabularies) may compress well
MAX_NAME_BYTES = 255  # a file name's length limit on Linux, macOS and Windows file systems


@dataclass(frozen=True)
class InstalledModel:
    """An installed argos package."""

    name: str  # folder name in the models folder
    path: Path
    from_code: str
    to_code: str
    version: str
    target_prefix: str = ""
    tokenizer: str = "sentencepiece.model"  # file name in the package folder

    @property
    def pair(self) -> str:
        return f"{self.from_code}->{self.to_code}"


# -- where ------------------------------------------------------------------------------------


def default_models_dir() -> Path:
    """Where models go when neither $BROCHURE_MODELS_DIR nor the project names a folder."""
    from platformdirs import user_data_path

    return user_data_path("brochure", appauthor=False) / "models"


def models_dir(project: Project | None = None) -> Path:
    """The project's [mt] models_dir, else $BROCHURE_MODELS_DIR, else the per-user data folder."""
    mt = project.sections.get("mt") if project is not None else None
    if mt is not None and mt.models_dir is not None:
        return project.root / mt.models_dir.expanduser()  # type: ignore[union-attr]
    env = os.environ.get(ENV_MODELS_DIR)
    if env:
        return Path(env).expanduser()
    return default_models_dir()


# -- reading installed packages -----------------------------------------------------------------


def _read_metadata(data: bytes, where: str) -> dict[str, Any]:
    """Parse and check metadata.json; raise ModelPackageError naming `where`."""
    try:
        meta = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelPackageError(f"{where}: malformed metadata.json ({exc})") from None
    if not isinstance(meta, dict):
        raise ModelPackageError(f"{where}: metadata.json must hold a JSON object")
    missing = [f for f in REQUIRED_FIELDS if not isinstance(meta.get(f), str) or not meta.get(f)]
    if missing:
        raise ModelPackageError(f"{where}: metadata.json lacks {', '.join(missing)}")
    for key in ("from_code", "to_code"):
        if not _CODE.match(meta[key]):
            raise ModelPackageError(
                f"{where}: metadata.json {key} {meta[key]!r} is not a language code"
            )
    if meta["from_code"] == meta["to_code"]:
        raise ModelPackageError(
            f"{where}: metadata.json translates {meta['from_code']} into itself"
        )
    if meta.get("type", "translate") != "translate":
        raise ModelPackageError(f"{where}: a {meta['type']!r} package, not a translation model")
    if not isinstance(meta.get("target_prefix", ""), str):
        raise ModelPackageError(f"{where}: metadata.json target_prefix must be a string")
    return meta


def _model_from_folder(path: Path) -> InstalledModel:
    meta = _read_metadata((path / "metadata.json").read_bytes(), str(path))
    tokenizer = next((t for t in TOKENIZERS if (path / t).is_file()), None)
    if tokenizer is None or not (path / "model" / "model.bin").is_file():
        raise ModelPackageError(f"{path}: incomplete package (no model/model.bin or tokenizer)")
    return InstalledModel(
        name=path.name, path=path, from_code=meta["from_code"], to_code=meta["to_code"],
        version=meta["package_version"], target_prefix=meta.get("target_prefix", ""),
        tokenizer=tokenizer,
    )  # fmt: skip


def installed_models(folder: Path) -> list[InstalledModel]:
    """Every valid package in `folder`, sorted by name; broken folders are skipped, not fatal."""
    out: list[InstalledModel] = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not (path / "metadata.json").is_file():
            continue
        try:
            out.append(_model_from_folder(path))
        except (ModelPackageError, OSError):
            continue
    return out


def find_model(folder: Path, from_code: str, to_code: str) -> InstalledModel | None:
    """The installed package for from->to with the highest version, if any."""
    from packaging.version import InvalidVersion, Version

    def key(m: InstalledModel):
        try:
            return (1, Version(m.version), m.name)
        except InvalidVersion:
            return (0, Version("0"), m.name)

    found = [
        m for m in installed_models(folder) if (m.from_code, m.to_code) == (from_code, to_code)
    ]
    return max(found, key=key) if found else None


# -- install ----------------------------------------------------------------------------------


def _check_members(where: str, infos: list[zipfile.ZipInfo]) -> None:
    """What extraction would trip over, found before anything is written: a name too long for
    the file system, a member held twice, a name that is both a file and a folder, and more bytes
    than a model needs (a zip bomb: a small file that expands to gigabytes)."""
    seen: set[str] = set()
    folders: set[str] = set()
    files: list[str] = []
    for info in infos:
        pure = PurePosixPath(info.filename.replace("\\", "/"))
        name = pure.as_posix()
        for part in pure.parts:
            if len(part.encode("utf-8")) > MAX_NAME_BYTES:
                raise ModelPackageError(
                    f"{where}: member {name[:60]!r}... has a name too long for a file system "
                    f"({len(part.encode('utf-8'))} bytes; at most {MAX_NAME_BYTES})"
                )
        if name in seen:
            raise ModelPackageError(f"{where}: holds the member {name!r} twice")
        seen.add(name)
        folders.update(p.as_posix() for p in pure.parents if p.parts)
        if info.is_dir():
            folders.add(name)
        else:
            files.append(name)
    check_expansion(
        where, infos, ModelPackageError, not_what="a model", max_bytes=MAX_UNPACKED_BYTES,
        ratio=BOMB_RATIO, min_bytes=BOMB_MIN_BYTES,
    )  # fmt: skip
    for name in files:
        if name in folders:
            raise ModelPackageError(f"{where}: {name!r} is both a file and a folder in the package")


def _check_zip(path: Path) -> tuple[str, dict[str, Any]]:
    """Validate an .argosmodel without extracting it; return its top folder and metadata."""
    where = str(path)
    if not path.is_file():
        raise ModelPackageError(f"{where}: no such file")
    if not zipfile.is_zipfile(path):
        raise ModelPackageError(
            f"{where}: not a zip archive (an .argosmodel package is a zip file)"
        )
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            tops: set[str] = set()
            for info in infos:
                name = info.filename
                pure = PurePosixPath(name.replace("\\", "/"))
                if (
                    name.startswith(("/", "\\"))
                    or re.match(r"^[A-Za-z]:", name)
                    or pure.is_absolute()
                ):
                    raise ModelPackageError(f"{where}: unsafe member {name!r} (absolute path)")
                if ".." in pure.parts:
                    raise ModelPackageError(f"{where}: unsafe member {name!r} ('..' in path)")
                if info.external_attr >> 16 & 0o170000 == 0o120000:
                    raise ModelPackageError(f"{where}: unsafe member {name!r} (symbolic link)")
                if pure.parts:
                    tops.add(pure.parts[0])
            _check_members(where, infos)
            files = {PurePosixPath(i.filename).as_posix() for i in infos if not i.is_dir()}
            if len(tops) != 1 or any(PurePosixPath(f).parts == (f,) for f in files):
                raise ModelPackageError(
                    f"{where}: a package must hold exactly one top-level folder "
                    f"(found {len(tops)} top-level entries)"
                )
            top = tops.pop()
            if top.startswith("."):
                raise ModelPackageError(f"{where}: top-level folder {top!r} is hidden")
            bad = z.testzip()  # every member's checksum, before anything else is read
            if bad is not None:
                raise ModelPackageError(f"{where}: corrupt zip (member {bad!r} fails its checksum)")
            if f"{top}/metadata.json" not in files:
                raise ModelPackageError(f"{where}: no {top}/metadata.json")
            meta = _read_metadata(z.read(f"{top}/metadata.json"), f"{where}: {top}")
            for needed in ("model/model.bin", "model/config.json"):
                if f"{top}/{needed}" not in files:
                    raise ModelPackageError(
                        f"{where}: no CTranslate2 model ({top}/{needed} is missing)"
                    )
            if not any(f"{top}/{t}" in files for t in TOKENIZERS):
                raise ModelPackageError(
                    f"{where}: no tokenizer ({top}/sentencepiece.model or {top}/bpe.model)"
                )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error,
            NotImplementedError, RuntimeError) as exc:  # fmt: skip
        raise ModelPackageError(f"{where}: corrupt zip ({exc})") from None
    return top, meta


def install_package(path: Path, folder: Path) -> tuple[InstalledModel, InstalledModel | None]:
    """Validate, extract into a temporary folder beside the others, rename into place.

    A package for the same language pair that is already installed is replaced. Returns the new
    model and the one it replaced (or None).
    """
    path = Path(path)
    top, meta = _check_zip(path)
    name = f"translate-{meta['from_code']}_{meta['to_code']}"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=folder))
    old_aside: Path | None = None
    try:
        with zipfile.ZipFile(path) as z:
            z.extractall(tmp)
        staged = tmp / top
        new = _model_from_folder(staged)  # the extracted files must read back as a package
        previous = [
            m
            for m in installed_models(folder)
            if (m.from_code, m.to_code) == (new.from_code, new.to_code)
        ]
        target = folder / name
        if target.exists():
            old_aside = tmp / "previous"
            os.replace(target, old_aside)
        os.replace(staged, target)
    except BaseException:
        if old_aside is not None and old_aside.exists() and not (folder / name).exists():
            os.replace(old_aside, folder / name)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    replaced = None
    for old in previous:
        if old.path != folder / name:
            shutil.rmtree(old.path, ignore_errors=True)
        replaced = old
    shutil.rmtree(tmp, ignore_errors=True)
    return _model_from_folder(folder / name), replaced


def remove_model(name: str, folder: Path) -> InstalledModel:
    """Remove an installed package, given its folder name or its pair (en-ru, en_ru, en->ru)."""
    models = installed_models(folder)
    pair = (
        re.split(r"->|[-_]", name) if re.match(r"^[a-z]{2,3}(->|[-_])[a-z]{2,3}$", name) else None
    )
    for m in models:
        if m.name == name or (pair and [m.from_code, m.to_code] == pair):
            shutil.rmtree(m.path)
            return m
    known = ", ".join(m.name for m in models) or "none"
    raise ModelNotInstalled(
        f"{folder}: no installed model {name!r} (installed: {known}); see `brochure models list`"
    )


# -- the package index (download) ---------------------------------------------------------------


@dataclass(frozen=True)
class IndexEntry:
    from_code: str
    to_code: str
    version: str
    links: tuple[str, ...]
    name: str = ""


def parse_index(data: bytes, where: str = "package index") -> list[IndexEntry]:
    """argospm's index.json (a list of package metadata objects) -> translation packages."""
    try:
        items = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BrochureError(f"{where}: malformed package index ({exc})") from None
    if not isinstance(items, list):
        raise BrochureError(f"{where}: malformed package index (expected a JSON list)")
    out = []
    for item in items:
        if not isinstance(item, dict) or item.get("type", "translate") != "translate":
            continue
        links = item.get("links")
        fc, tc = item.get("from_code"), item.get("to_code")
        if not (isinstance(fc, str) and isinstance(tc, str) and isinstance(links, list) and links):
            continue
        out.append(IndexEntry(fc, tc, str(item.get("package_version", "")),
                              tuple(str(x) for x in links), str(item.get("code", ""))))  # fmt: skip
    return out


def find_in_index(entries: list[IndexEntry], from_code: str, to_code: str) -> IndexEntry:
    """The index entry for a language pair, or an error listing the pairs there are."""
    for entry in entries:
        if (entry.from_code, entry.to_code) == (from_code, to_code):
            return entry
    pairs = sorted(
        f"{e.from_code}->{e.to_code}" for e in entries if from_code in (e.from_code, e.to_code)
    )
    hint = f" (pairs with {from_code}: {', '.join(pairs[:20])})" if pairs else ""
    raise ModelNotInstalled(
        f"the argos package index has no {from_code}->{to_code} package{hint}; use a CTranslate2 "
        f'model instead: engine = "ct2" under [mt.engines.{to_code}] in brochure.toml'
    )


Progress = Callable[[int, int | None], None]  # (bytes so far, total or None)


def _fetch(url: str, dest: Path, progress: Progress | None) -> None:
    import urllib.request

    # The one place the toolkit opens a network connection, and only for `install --download`.
    with urllib.request.urlopen(url, timeout=60) as response, open(dest, "wb") as out:
        total = response.headers.get("Content-Length")
        total_n = int(total) if total and total.isdigit() else None
        done = 0
        while chunk := response.read(1 << 16):
            out.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, total_n)


def download_package(
    from_code: str, to_code: str, folder: Path, *, index_url: str | None = None,
    progress: Progress | None = None,
) -> tuple[InstalledModel, InstalledModel | None]:  # fmt: skip
    """Fetch the argos package index, download FROM->TO's package, install it."""
    index_url = index_url or os.environ.get(ENV_PACKAGE_INDEX) or PACKAGE_INDEX
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=folder))
    try:
        index_file = tmp / "index.json"
        try:
            _fetch(index_url, index_file, None)
        except OSError as exc:
            raise BrochureError(f"{index_url}: cannot fetch the package index ({exc}); "
                                "offline, install a file with `brochure models install PATH.argosmodel`") from None  # fmt: skip
        entry = find_in_index(parse_index(index_file.read_bytes(), index_url), from_code, to_code)
        package = tmp / f"translate-{from_code}_{to_code}.argosmodel"
        errors = []
        for link in entry.links:
            try:
                _fetch(link, package, progress)
                break
            except OSError as exc:
                errors.append(f"{link}: {exc}")
        else:
            raise BrochureError(
                f"cannot download the {from_code}->{to_code} package ({'; '.join(errors)})"
            )
        return install_package(package, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
