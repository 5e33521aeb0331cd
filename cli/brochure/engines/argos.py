"""Engine `argos`: installed argos packages (.argosmodel), run through CTranslate2 by us.

We read each package ourselves (metadata.json, model/, sentencepiece.model or bpe.model) instead
of calling argostranslate.translate, because argos
- splits sentences with MiniSBD, which downloads a model on first use (offline: it fails);
- batches by 32 tokens, about one sentence per CTranslate2 call, and makes one call per paragraph;
- turns every "_" of the output into a space and leaves an NLLB-style target prefix in place;
- creates folders under $HOME when imported.
So the argostranslate module is never imported here (only its BPE helper, a plain module, for
packages with a bpe.model). Our segments go to translate_batch in large batches.

No direct package for a pair? Go through an intermediate language (en->kk as en->ru->kk): the first
leg keeps its best translation, the second gives the N-best list; scores add up.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from brochure.core.errors import ModelNotInstalled
from brochure.engines import Hypothesis
from brochure.engines.config import EngineSettings
from brochure.engines.ct2 import BPETokenizer, CTranslateModel, Decoding, SentencePieceTokenizer
from brochure.engines.packages import InstalledModel, find_model, installed_models
from brochure.engines.packages import models_dir as default_dir

PIVOTS = ("en", "ru")  # tried first as intermediate languages, in this order


def load_package(model: InstalledModel, decoding: Decoding) -> CTranslateModel:
    """An installed argos package as a CTranslate2 model with the tokenizer it ships."""
    path = model.path / model.tokenizer
    tokenizer: BPETokenizer | SentencePieceTokenizer
    if model.tokenizer == "bpe.model":
        tokenizer = BPETokenizer(path, model.from_code, model.to_code)
    else:
        tokenizer = SentencePieceTokenizer(path)
    return CTranslateModel(
        model.path / "model", tokenizer, target_prefix=model.target_prefix, decoding=decoding
    )


def find_route(folder: Path, src: str, tgt: str, pivot: str | None = None) -> list[InstalledModel]:
    """The packages that take src to tgt: one, or two through an intermediate language."""
    direct = find_model(folder, src, tgt)
    if direct is not None and pivot is None:
        return [direct]
    models = installed_models(folder)
    middles = [pivot] if pivot else [*PIVOTS, *sorted({m.to_code for m in models} - set(PIVOTS))]
    for mid in middles:
        if mid in (src, tgt):
            continue
        first, second = find_model(folder, src, mid), find_model(folder, mid, tgt)
        if first and second:
            return [first, second]
    from brochure.core import languages

    installed = ", ".join(m.pair for m in models) or "none"
    via = f" through {pivot}" if pivot else ""
    hints = [
        languages.get(code).mt_hint for code in (tgt, src)
        if languages.is_known(code) and languages.get(code).mt_hint
    ]  # fmt: skip
    advice = hints[0] if hints else (
        f"install one with `brochure models install PATH.argosmodel` or "
        f"`brochure models install --download {src} {tgt}`"
    )  # fmt: skip
    raise ModelNotInstalled(
        f"no argos model translates {src}->{tgt}{via} in {folder} (installed: {installed}); {advice}"
    )


class ArgosEngine:
    name = "argos"

    def __init__(
        self, src: str, tgt: str, settings: EngineSettings, models_dir: Path | None = None
    ):
        self.src, self.tgt = src, tgt
        self.route = find_route(models_dir or default_dir(), src, tgt, settings.pivot)
        self.decoding = Decoding.from_settings(settings)
        self.legs = [load_package(m, self.decoding) for m in self.route]
        self.model = "+".join(m.name for m in self.route)
        self.version = "+".join(m.version for m in self.route)

    def translate(self, texts: Sequence[str]) -> list[list[Hypothesis]]:
        texts = list(texts)
        offset = [0.0] * len(texts)
        for leg in self.legs[:-1]:
            best = [hyps[0] for hyps in leg.translate(texts, num_hypotheses=1)]
            texts = [h.text for h in best]
            offset = [o + h.score for o, h in zip(offset, best)]
        results = self.legs[-1].translate(texts)
        if len(self.legs) == 1:
            return results
        return [[Hypothesis(h.text, h.score + o) for h in hyps] for hyps, o in zip(results, offset)]

    def signature(self) -> str:
        return f"{self.name}/{self.model}/{self.version}/{self.decoding.tag()}"
