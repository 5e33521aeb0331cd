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

Benchmarks ask for the shape of a real model (`Shape`: e.g. Transformer-base, 6+6 layers, 512 wide,
8 heads, a 32,000-entry vocabulary): every weight the copy does not need is then small random
numbers instead of zero (real work per token that barely disturbs the copy), every head of the last
decoder layer's cross-attention matches positions, and the vocabulary is padded with entries the
tokenizer never produces (the output layer costs what a real vocabulary's costs). The output is the
same copy, so the number of decoding steps is what a real model's would be.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
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
    prefix: Path, corpus: str, symbols: list[str], vocab_size: int, model_type: str = "unigram"
) -> list[str]:
    import sentencepiece as spm

    text_file = Path(f"{prefix}.corpus.txt")
    text_file.write_text(corpus, encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text_file), model_prefix=str(prefix), vocab_size=vocab_size,
        character_coverage=1.0, hard_vocab_limit=False, byte_fallback=True,
        normalization_rule_name="identity", user_defined_symbols=symbols, minloglevel=2,
        model_type=model_type,
    )  # fmt: skip
    text_file.unlink()
    Path(f"{prefix}.vocab").unlink()
    sp = spm.SentencePieceProcessor(model_file=f"{prefix}.model")
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


@dataclass(frozen=True)
class Shape:
    """The size of a copy model: the tests' tiny one by default."""

    layers: int = 1  # encoder and decoder layers each
    heads: int = 1
    width: int = 128  # token code dimensions; the model is width + 64 wide
    ffn: int = 4  # feed-forward inner size
    vocabulary: int = 0  # pad the model's vocabulary to this many entries (0: the tokenizer's)
    noise: float = 0.0  # scale of the random weights the copy does not need (0: zeros)


# Transformer-base (argos's packages are trained with OpenNMT-py's transformer: 6+6 layers, 512
# wide, 8 heads, feed-forward 2048, a shared SentencePiece vocabulary of up to 50,000 pieces).
BASE = Shape(layers=6, heads=8, width=448, ffn=2048, vocabulary=32000, noise=0.02)


def _copy_transformer(
    model_dir: Path, vocab: list[str], lexicon: dict[str, str], *, add_source_eos: bool,
    prefix_shift: int = 0, max_len: int = 1024, width: int = 128, seed: int = 0,
    quantization: str | None = "int8", shape: Shape | None = None,
) -> None:  # fmt: skip
    """Save a CTranslate2 Transformer that copies its source, substituting `lexicon` tokens.

    prefix_shift: how many forced target-prefix tokens come before the copy that do not have a
    source token of their own (argos packages with a target prefix: 1; NLLB style, where the
    source starts with a language token just as the target starts with one: 0).
    shape: layers, heads, sizes (default: 1 layer, 1 head, `width`, zeros where the copy needs
    nothing).
    """
    import numpy as np
    from ctranslate2.specs import TransformerSpec

    shape = shape or Shape(width=width)
    vocab = list(vocab) + [f"<unused{i}>" for i in range(shape.vocabulary - len(vocab))]
    V = len(vocab)
    E = shape.width  # token code dimensions
    K = 16  # frequencies of the positional code
    P = 4 * K
    d = E + P
    H, dh = shape.heads, d // shape.heads  # heads, and each head's dimensions
    assert dh * H == d and dh >= P, "each head must hold the positional code"
    rng = np.random.default_rng(seed + 1)
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

    def zeros(*size):
        return np.zeros(size, np.float32)

    def noise(rows, cols, scale=1.0):
        """Random weights (scale 1: a LayerNorm-ed input gives outputs of about unit size)."""
        if not shape.noise:
            return zeros(rows, cols)
        return rng.standard_normal((rows, cols), dtype=np.float32) * (scale / np.sqrt(cols))

    def layer_norm(ln, gamma=1.0):
        ln.gamma = np.full(d, gamma, np.float32)
        ln.beta = zeros(d)

    def linear(lin, weight):
        lin.weight = weight.astype(np.float32)
        lin.bias = zeros(weight.shape[0])

    spec = TransformerSpec.from_config(num_layers=shape.layers, num_heads=H)
    for part in (spec.encoder, spec.decoder):
        part.scale_embeddings = False
        part.position_encodings.encodings = pe
    if prefix_shift:
        spec.decoder.position_encodings.encodings = np.roll(pe, prefix_shift, axis=0)
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings
    ff, small = shape.ffn, shape.noise  # what a layer adds to the residual stream: small
    for layer in spec.encoder.layer + spec.decoder.layer:
        layer_norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], noise(3 * d, d))
        linear(layer.self_attention.linear[1], noise(d, d, small))
        layer_norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, noise(ff, d))
        linear(layer.ffn.linear_1, noise(d, ff, small))
    for layer in spec.decoder.layer[:-1]:
        layer_norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], noise(d, d))
        linear(layer.attention.linear[1], noise(2 * d, d))
        linear(layer.attention.linear[2], noise(d, d, small))
    layer_norm(spec.encoder.layer_norm)
    beta, gamma = 200.0, 50.0
    attention = spec.decoder.layer[-1].attention  # every head: query t meets key t
    layer_norm(attention.layer_norm)
    query = zeros(d, d)
    key_value = zeros(2 * d, d)
    for h in range(H):
        rows = slice((h + 1) * dh - P, (h + 1) * dh)  # the last P dimensions of head h
        query[rows, E:] = beta * np.eye(P)
        key_value[rows, E:] = np.eye(P)
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
    quantization: str | None = "int8", shape: Shape | None = None, model_type: str = "unigram",
) -> Path:  # fmt: skip
    """Build `translate-FROM_TO.argosmodel` in argos's own format (as argospm publishes them).

    `width`: dimensions of the token codes (the model is width + 64 wide); benchmarks use more.
    `quantization`: "int8" (as argos packages are), or None for float32 weights.
    `shape`: a real model's size (benchmarks); `model_type`: SentencePiece's (bpe keeps words whole).
    """
    lexicon = LEXICONS.get((from_code, to_code), {}) if lexicon is None else lexicon
    name = folder or f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    root = Path(out_dir) / "src" / name
    root.mkdir(parents=True, exist_ok=True)
    symbols = sorted({*lexicon, *lexicon.values(), *([target_prefix] if target_prefix else [])})
    vocab = _train_sentencepiece(root / "sentencepiece", corpus, symbols, vocab_size, model_type)
    _copy_transformer(root / "model", vocab, lexicon, add_source_eos=True,
                      prefix_shift=1 if target_prefix else 0, width=width,
                      quantization=quantization, shape=shape)  # fmt: skip
    meta = {
        "package_version": version, "argos_version": "1.9.0",
        "from_code": from_code, "from_name": NAMES.get(from_code, from_code),
        "to_code": to_code, "to_name": NAMES.get(to_code, to_code), "type": "translate", "links": [],
    }  # fmt: skip
    if target_prefix:
        meta["target_prefix"] = target_prefix
    (root / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    (root / "README.md").write_text("Test-only copy model.\n", encoding="utf-8")
    zip_path = Path(out_dir) / f"translate-{from_code}_{to_code}.argosmodel"
    return zip_folder(root, zip_path, compress=shape is None)  # large weights: stored as they are


def zip_folder(root: Path, zip_path: Path, compress: bool = True) -> Path:
    """Zip `root` so that every member sits under `root.name/`, as argos packages do."""
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(zip_path, "w", method) as z:
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
