"""`brochure proof`: read each built PDF back and report what a typesetter would mark.

The core is outputs.proof (one PDF against the frame its layout meant to draw); this module finds
an edition's PDF and that frame from brochure.toml, and turns errors into a failing command or
build (`build --proof`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from brochure.core.datamodel import Edition, EditionInfo
from brochure.core.errors import BrochureError, ProofError
from brochure.core.project import EditionSpec, Project
from brochure.outputs.proof import Frame, ProofReport, proof_pdf


@dataclass(frozen=True)
class EditionProof:
    edition: str
    report: ProofReport


def edition_frame(spec: EditionSpec, variant: str = "print") -> Frame:
    """Where the edition's layout puts its text (layout.html.layout_geometry), its bleed (none in
    a screen PDF), and whether it is imposed as a booklet."""
    from brochure.layout.html import layout_geometry

    info = EditionInfo(name=spec.name, languages=spec.languages, layout=spec.layout,
                       page_size=spec.page_size, title={})  # fmt: skip
    geo = layout_geometry(Edition(info, ()))
    bleed = spec.bleed if variant == "print" else 0.0
    return Frame.from_geometry(geo, bleed_mm=bleed, booklet=spec.impose == "booklet",
                               print_pdf=variant == "print", facing=spec.layout == "facing")  # fmt: skip


def pdf_path(project: Project, spec: EditionSpec, out_dir: Path | None = None,
             variant: str = "") -> Path:  # fmt: skip
    """The edition's screen PDF (else its print PDF), or the one of `variant`."""
    return (out_dir or project.build_dir) / spec.pdf_file(variant)


def proof_project(project: Project, editions: Sequence[str] = (),
                  out_dir: Path | None = None) -> list[EditionProof]:  # fmt: skip
    """Proof the PDFs (screen and print) of each selected edition (all that have a PDF by default)."""
    specs = [project.edition(name) for name in editions] if editions else list(project.editions)
    results = []
    for spec in specs:
        if "pdf" not in spec.formats:
            continue
        for variant in spec.pdf:
            path = pdf_path(project, spec, out_dir, variant)
            if not path.is_file():
                raise BrochureError(
                    f"{project.path.name}: edition {spec.name!r} has no PDF ({variant}) at {path}: "
                    "run `brochure build` first"
                )
            name = spec.name if variant == "screen" else f"{spec.name} ({variant})"
            results.append(EditionProof(name, proof_pdf(path, edition_frame(spec, variant))))
    return results


def proof_gate(results: Sequence[EditionProof]) -> None:
    """Raise ProofError when any report has errors (`build --proof`, `proof`)."""
    errors = sum(len(r.report.errors) for r in results)
    if errors:
        names = ", ".join(r.edition for r in results if r.report.errors)
        raise ProofError(f"proof found {errors} error(s) in {names}: see `brochure proof`")
