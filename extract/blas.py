"""Matrix products of the trained recognizer through numpy's BLAS rather than thinc's bundled blis.

thinc's default `NumpyOps` multiplies with blis, whose matrix products run about 3x slower on this project's CPUs
than numpy's OpenBLAS: the shipped recognizer takes 11.7 instead of 17.9 ms per seed abstract on one thread, with
the same entities (`benchmarks/ner_ops.py` prints both). The numbers differ only by float rounding.
"""

from __future__ import annotations

from thinc.api import Model, NumpyOps, Ops


def set_ops(model: Model, ops: Ops) -> Model:
    """Give every layer of `model` the same `ops` (in place); returns the model."""
    for layer in model.walk():
        layer.ops = ops
    return model


def use_numpy_blas(model: Model) -> Model:
    """Give every layer of `model` CPU ops whose `gemm` is numpy's `matmul` (OpenBLAS) instead of blis."""
    return set_ops(model, NumpyOps(use_blis=False))
