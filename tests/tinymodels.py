"""Tiny real translation models, built at test time: no downloads, exact outputs.

A real model exercises the real loading and translation path (CTranslate2, SentencePiece, argos's
package format), and a hand-weighted one is deterministic: its output is a copy of its input,
token by token, except for a small lexicon of whole tokens it substitutes. So a test can assert the
exact text that comes out, that a pivot went through the right intermediate language, and that
underscores and target prefixes are decoded right.

How the copy works (a 1-layer Transformer, weights set by hand):
- model width d = E + P: the first E dimensions hold a token code (random, centred, unit length:
  nearly orthogonal), the last P a positional code (cos, sin, -cos, -sin: zero-sum), so every
  vector has mean 0 and the same length and LayerNorm is a fixed affine map that keeps both parts;
- self-attention and feed-forward weights are zero, so every layer is the identity (residuals);
- the decoder's cross-attention query at step t matches the key of source position t (beta * the
  positional code) and reads that position's token code (times gamma);
- the output projection scores each token by its code, so the copied token wins; a lexicon entry
  src -> tgt adds src's code to tgt's row and silences src.
Because the source ends with </s> (add_source_eos, or an explicit </s> as NLLB wants), the copy
ends with </s> and decoding stops.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

# Enough text for a SentencePiece vocabulary in en, ru and kk; byte fallback covers any other
# character, so the models copy every text exactly.
CORPUS = """\
The workers of Kazakhstan demand a real increase in wages and pensions.
The protests began in Zhanaozen on the initiative of oil workers.
We present our readers with the programme of transitional demands.
In the coming time, this document will be published as a bilingual brochure.
Trade unions must be independent of the state and of the employers.
Рабочие Казахстана требуют реального повышения зарплат и пенсий.
Протесты начались в Жанаозене по инициативе нефтяников.
Мы представляем читателям программу переходных требований.
Профсоюзы должны быть независимы от государства и работодателей.
Қазақстан жұмысшылары жалақы мен зейнетақының нақты өсуін талап етеді.
Наразылықтар Жаңаөзенде мұнайшылардың бастамасымен басталды.
Кәсіподақтар мемлекеттен және жұмыс берушілерден тәуелсіз болуы керек.
file_name snake_case v2_final 1,2 3.4 5:6 (7) [8] "quoted" 'single' – — « » … ? ! ; % № ’
"""

NAMES = {"en": "English", "ru": "Russian", "kk": "Kazakh"}
LANGUAGE_TOKENS = ("eng_Latn", "rus_Cyrl", "kaz_Cyrl")

# Whole words each tiny model substitutes, so a test can tell which models a text went through.
LEXICONS: dict[tuple[str, str], dict[str, str]] = {
    ("en", "ru"): {"workers": "рабочие"},
    ("ru", "kk"): {"рабочие": "жұмысшылар"},
    ("en", "kk"): {"workers": "жұмысшылар"},
}


def _train_sentencepiece(
    prefix: Path, corpus: str, symbols: list[str], vocab_size: int
) -> list[str]:
    import sentencepiece as spm

    text_file = Path(f"{prefix}.corpus.txt")
    text_file.write_text(corpus, encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text_file), model_prefix=str(prefix), vocab_size=vocab_size,
        character_coverage=1.0, hard_vocab_limit=False, byte_fallback=True,
        normalization_rule_name="identity", user_defined_symbols=symbols, minloglevel=2,
    )  # fmt: skip
    text_file.unlink()
    Path(f"{prefix}.vocab").unlink()
    sp = spm.SentencePieceProcessor(model_file=f"{prefix}.model")
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _copy_transformer(
    model_dir: Path, vocab: list[str], lexicon: dict[str, str], *, add_source_eos: bool,
    prefix_shift: int = 0, max_len: int = 1024, width: int = 128, seed: int = 0,
    quantization: str | None = "int8",
) -> None:  # fmt: skip
    """Save a CTranslate2 Transformer that copies its source, substituting `lexicon` tokens.

    prefix_shift: how many forced target-prefix tokens come before the copy that do not have a
    source token of their own (argos packages with a target prefix: 1; NLLB style, where the
    source starts with a language token just as the target starts with one: 0).
    """
    import numpy as np
    from ctranslate2.specs import TransformerSpec

    V = len(vocab)
    E = width  # token code dimensions
    K = 16  # frequencies of the positional code
    P = 4 * K
    d = E + P
    freqs = 2 * np.pi * 2.0 ** (-np.arange(1, K + 1) / 2.0)
    angles = np.arange(max_len)[:, None] * freqs[None, :]
    pe = np.zeros((max_len, d), np.float32)
    pe[:, E:] = np.concatenate(
        [np.cos(angles), np.sin(angles), -np.cos(angles), -np.sin(angles)], 1
    )
    # Token codes: random, centred, unit length; nearly orthogonal in E dimensions.
    codes = np.random.default_rng(seed).normal(size=(V, E))
    codes -= codes.mean(axis=1, keepdims=True)
    codes /= np.linalg.norm(codes, axis=1, keepdims=True)
    embeddings = np.zeros((V, d), np.float32)
    embeddings[:, :E] = codes

    def zeros(*shape):
        return np.zeros(shape, np.float32)

    def layer_norm(ln, gamma=1.0):
        ln.gamma = np.full(d, gamma, np.float32)
        ln.beta = zeros(d)

    def linear(lin, weight):
        lin.weight = weight.astype(np.float32)
        lin.bias = zeros(weight.shape[0])

    spec = TransformerSpec.from_config(num_layers=1, num_heads=1)
    for part in (spec.encoder, spec.decoder):
        part.scale_embeddings = False
        part.position_encodings.encodings = pe
    if prefix_shift:
        spec.decoder.position_encodings.encodings = np.roll(pe, prefix_shift, axis=0)
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings
    ff = 4
    for layer in spec.encoder.layer + spec.decoder.layer:
        layer_norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], zeros(3 * d, d))
        linear(layer.self_attention.linear[1], zeros(d, d))
        layer_norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, zeros(ff, d))
        linear(layer.ffn.linear_1, zeros(d, ff))
    layer_norm(spec.encoder.layer_norm)
    beta, gamma = 200.0, 50.0
    attention = spec.decoder.layer[0].attention
    layer_norm(attention.layer_norm)
    query = zeros(d, d)
    query[E:, E:] = beta * np.eye(P)
    key_value = zeros(2 * d, d)
    key_value[E:d, E:] = np.eye(P)
    key_value[d : d + E, :E] = gamma * np.eye(E)
    out = zeros(d, d)
    out[:E, :E] = np.eye(E)
    linear(attention.linear[0], query)
    linear(attention.linear[1], key_value)
    linear(attention.linear[2], out)
    layer_norm(spec.decoder.layer_norm, 10.0)
    projection = embeddings.copy()  # logit of token j: how much the hidden state looks like j
    index = {piece: i for i, piece in enumerate(vocab)}
    for src, tgt in lexicon.items():
        projection[index[tgt]] += embeddings[index[src]]  # tgt also answers src's code
        projection[index[src]] = 0.0  # and src is never emitted
    linear(spec.decoder.projection, projection)
    spec.config.add_source_eos = add_source_eos
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=quantization)
    model_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(model_dir))


def build_argos_package(
    out_dir: Path, from_code: str, to_code: str, *, version: str = "1.0",
    target_prefix: str = "", vocab_size: int = 400, corpus: str = CORPUS,
    lexicon: dict[str, str] | None = None, folder: str | None = None, width: int = 128,
    quantization: str | None = "int8",
) -> Path:  # fmt: skip
    """Build `translate-FROM_TO.argosmodel` in argos's own format (as argospm publishes them).

    `width`: dimensions of the token codes (the model is width + 64 wide); benchmarks use more.
    `quantization`: "int8" (as argos packages are), or None for float32 weights.
    """
    lexicon = LEXICONS.get((from_code, to_code), {}) if lexicon is None else lexicon
    name = folder or f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    root = Path(out_dir) / "src" / name
    root.mkdir(parents=True, exist_ok=True)
    symbols = sorted({*lexicon, *lexicon.values(), *([target_prefix] if target_prefix else [])})
    vocab = _train_sentencepiece(root / "sentencepiece", corpus, symbols, vocab_size)
    _copy_transformer(root / "model", vocab, lexicon, add_source_eos=True,
                      prefix_shift=1 if target_prefix else 0, width=width,
                      quantization=quantization)  # fmt: skip
    meta = {
        "package_version": version, "argos_version": "1.9.0",
        "from_code": from_code, "from_name": NAMES.get(from_code, from_code),
        "to_code": to_code, "to_name": NAMES.get(to_code, to_code), "type": "translate", "links": [],
    }  # fmt: skip
    if target_prefix:
        meta["target_prefix"] = target_prefix
    (root / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    (root / "README.md").write_text("Test-only copy model.\n", encoding="utf-8")
    return zip_folder(root, Path(out_dir) / f"translate-{from_code}_{to_code}.argosmodel")


def zip_folder(root: Path, zip_path: Path) -> Path:
    """Zip `root` so that every member sits under `root.name/`, as argos packages do."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(root.parent).as_posix())
    return zip_path


def build_nllb_model(out_dir: Path, *, vocab_size: int = 400, corpus: str = CORPUS,
                     lexicon: dict[str, str] | None = None) -> Path:  # fmt: skip
    """A CTranslate2 model folder in the NLLB style: language tokens in the vocabulary, a source
    that reads `eng_Latn pieces </s>` (no automatic </s>), a target that starts with `kaz_Cyrl`,
    and the tokenizer beside model.bin as `sentencepiece.bpe.model`."""
    lexicon = LEXICONS[("en", "kk")] if lexicon is None else lexicon
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    symbols = sorted({*LANGUAGE_TOKENS, *lexicon, *lexicon.values()})
    vocab = _train_sentencepiece(root / "sentencepiece.bpe", corpus, symbols, vocab_size)
    _copy_transformer(root, vocab, lexicon, add_source_eos=False, prefix_shift=0)
    return root


BPE_CODES = "#version: 0.2\nw o\nwo r\nwor k\ne r\ner s</w>\nt h\nth e</w>\nu n\n"


def build_bpe_package(out_dir: Path, from_code: str, to_code: str, texts: list[str]) -> Path:
    """An older-style argos package: Moses tokens + subword-nmt BPE codes (bpe.model), copy model.

    The vocabulary is every token the BPE segmentation of `texts` produces.
    """
    from sacremoses import MosesPunctNormalizer, MosesTokenizer
    from subword_nmt.apply_bpe import BPE

    root = Path(out_dir) / "src" / f"translate-{from_code}_{to_code}-bpe"
    root.mkdir(parents=True, exist_ok=True)
    (root / "bpe.model").write_text(BPE_CODES, encoding="utf-8")
    with open(root / "bpe.model", encoding="utf-8") as f:
        bpe = BPE(f)
    tokenizer, normalizer = MosesTokenizer(from_code), MosesPunctNormalizer(from_code)
    vocab = ["<unk>", "<s>", "</s>"]
    for text in texts:
        for token in bpe.segment_tokens(
            tokenizer.tokenize(normalizer.normalize(text), escape=False)
        ):
            if token not in vocab:
                vocab.append(token)
    _copy_transformer(root / "model", vocab, {}, add_source_eos=True)
    meta = {"package_version": "0.9", "argos_version": "1.0", "from_code": from_code, "to_code": to_code,
            "from_name": NAMES.get(from_code, ""), "to_name": NAMES.get(to_code, ""), "links": []}  # fmt: skip
    (root / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    return zip_folder(root, Path(out_dir) / f"translate-{from_code}_{to_code}-bpe.argosmodel")
