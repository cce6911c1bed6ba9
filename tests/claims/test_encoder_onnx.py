"""The encoder on ONNX Runtime: the default where installed, PyTorch's own vectors, and PyTorch where it cannot run."""

import logging
import os
import platform
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from claims.matching import encoder, onnx_model
from core.kept import KeptRecently

pytestmark = pytest.mark.skipif(
    not (encoder.encoder_available() and onnx_model.installed()),
    reason="the sentence encoder package or onnxruntime is missing",
)

TEXTS = [
    "5G mobile phone masts spread the coronavirus",
    "Unemployment in Ohio fell to its lowest level since 1970, the governor said on Tuesday.",
    "Путин заявил, что переговоры длились более пяти часов",
    "الحكومة رفعت الحد الأدنى للأجور بنسبة عشرة في المئة",
    "政府宣布将最低工资提高百分之十",
    "सरकार ने न्यूनतम वेतन में दस प्रतिशत की बढ़ोतरी की",
    "ok",
]
# Past the model's 256 tokens: the tail must be cut as PyTorch cuts it.
LONG = " ".join(f"The senator said on day {n} that the talks lasted more than five hours." for n in range(60))


@pytest.fixture
def encode_with(monkeypatch):
    """Encode under a MATCHING_ENCODER value, with nothing remembered from another setting's calls."""

    def encode(setting: str, texts: list[str], **options) -> np.ndarray:
        monkeypatch.setenv("MATCHING_ENCODER", setting)
        monkeypatch.setattr(encoder, "_remembered", KeptRecently(512))
        return encoder.encode(texts, **options)

    return encode


def test_onnx_runtime_encodes_queries_by_default_and_pytorch_on_request(monkeypatch):
    monkeypatch.delenv("MATCHING_ENCODER", raising=False)
    assert encoder.backend() == "onnx"
    assert encoder.backend(encoder.SMALL_BATCH) == "onnx"
    for setting in ("torch", "float32"):
        monkeypatch.setenv("MATCHING_ENCODER", setting)
        assert encoder.backend() == "torch"


@pytest.mark.parametrize("bfloat16", [True, False], ids=["a CPU with bfloat16", "a CPU without"])
def test_bulk_goes_to_pytorch_only_on_a_cpu_that_computes_in_bfloat16(monkeypatch, bfloat16):
    """There PyTorch in bfloat16 encodes many texts 2.6 times as fast as ONNX Runtime; elsewhere it is no faster."""
    monkeypatch.delenv("MATCHING_ENCODER", raising=False)
    monkeypatch.setattr(encoder, "_bfloat16_native", lambda: bfloat16)

    assert encoder.backend(1) == "onnx"
    assert encoder.backend(encoder.SMALL_BATCH + 1) == ("torch" if bfloat16 else "onnx")
    monkeypatch.setenv("MATCHING_ENCODER", "onnx")
    assert encoder.backend(10_000) == "onnx"


@pytest.mark.skipif(platform.machine() not in {"x86_64", "AMD64"}, reason="x86 CPUs list their flags")
def test_the_cpu_s_own_flags_decide_bfloat16():
    model, flags = encoder.cpu()

    assert "fpu" in flags and model != "?"  # read off /proc/cpuinfo, not an empty set
    if not flags & {"avx512_bf16", "amx_bf16"}:
        assert encoder._bfloat16_native() is False


@pytest.mark.parametrize("texts", [TEXTS, TEXTS[2:3], [LONG, "short"]], ids=["a batch", "one text", "past 256 tokens"])
def test_onnx_runtime_gives_pytorch_s_float32_vectors(encode_with, texts):
    onnx, torch = encode_with("on", texts), encode_with("float32", texts)

    assert onnx.dtype == np.float32 and onnx.shape == (len(texts), encoder.DIMENSIONS)
    np.testing.assert_allclose(onnx, torch, atol=1e-5)


def test_a_shorter_token_limit_cuts_as_pytorch_does(encode_with):
    onnx = encode_with("onnx", [LONG] * 9, max_seq_length=64)

    np.testing.assert_allclose(onnx, encode_with("float32", [LONG] * 9, max_seq_length=64), atol=1e-5)
    assert (onnx[0] @ encode_with("onnx", [LONG])[0]) < 0.9999  # the limit did cut


def test_a_text_s_vector_does_not_depend_on_its_batch(encode_with):
    alone = np.vstack([encode_with("onnx", [text]) for text in TEXTS])

    np.testing.assert_allclose(encode_with("onnx", [LONG, *TEXTS, *TEXTS])[1:8], alone, atol=1e-5)


def _at_once(callers: int, work: Callable[[int], np.ndarray]) -> dict[int, np.ndarray]:
    """Each caller's last result of work(caller), run on `callers` threads at the same time."""
    results: dict[int, np.ndarray] = {}
    errors: list[BaseException] = []

    def run(caller: int) -> None:
        try:
            results[caller] = work(caller)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(caller,)) for caller in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_concurrent_callers_each_get_their_own_texts_vectors(encode_with):
    """Requests (the model's token limit) and bulk loads (a shorter one) share the tokenizer."""
    texts = [LONG, *TEXTS]
    expected = {limit: encode_with("onnx", texts * 2, max_seq_length=limit) for limit in (None, 64)}

    def work(caller: int) -> np.ndarray:
        for _ in range(10):
            rolled = texts[caller:] + texts[:caller]
            vectors = onnx_model.encode(rolled, batch_size=3, max_seq_length=(None, 64)[caller % 2])
        return vectors

    for caller, vectors in _at_once(4, work).items():
        limit = (None, 64)[caller % 2]
        np.testing.assert_allclose(vectors, np.roll(expected[limit][: len(texts)], -caller, axis=0), atol=1e-5)


def test_concurrent_pytorch_callers_each_get_their_own_token_limit(encode_with):
    """PyTorch's token limit belongs to the model, shared by the process: callers must not see each other's."""
    texts = [LONG, *TEXTS] * 2
    expected = {limit: encode_with("torch", texts, max_seq_length=limit) for limit in (None, 64)}

    def work(caller: int) -> np.ndarray:
        for _ in range(5):
            vectors = encoder.encode(texts, max_seq_length=(None, 64)[caller % 2])
        return vectors

    for caller, vectors in _at_once(4, work).items():
        np.testing.assert_allclose(vectors, expected[(None, 64)[caller % 2]], atol=1e-5)


def test_without_an_exportable_model_the_encoder_falls_back_to_pytorch(monkeypatch, tmp_path, caplog, encode_with):
    blocked = tmp_path / "a file where the folder should be"
    blocked.write_text("")
    monkeypatch.setenv("MATCHING_ONNX_DIR", str(blocked))
    monkeypatch.setattr(onnx_model, "_unusable", False)
    monkeypatch.setattr(onnx_model, "_runtime", None)

    with caplog.at_level(logging.ERROR, logger="claims.matching.onnx_model"):
        vectors = encode_with("on", TEXTS[:2])

    assert encoder.backend() == "torch"
    assert "could not run the sentence encoder on ONNX Runtime" in caplog.text
    # PyTorch as MATCHING_ENCODER=torch runs it: in bfloat16 on a CPU that computes in it, else in float32
    np.testing.assert_allclose(vectors, encode_with("torch", TEXTS[:2]), atol=1e-6)
    assert (vectors * encode_with("float32", TEXTS[:2])).sum(axis=1).min() >= 0.9999


def test_build_encoder_writes_the_model_once(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MATCHING_ONNX_DIR", str(tmp_path))

    call_command("build_encoder")
    written = onnx_model.model_file()
    assert written.parent == tmp_path and written.stat().st_size > 10_000_000
    assert written.stat().st_mode & 0o044 == 0o044  # readable by the service's own user
    assert [path.name for path in tmp_path.iterdir()] == [written.name]  # no partial file left behind
    before = written.stat().st_mtime_ns

    call_command("build_encoder")
    assert written.stat().st_mtime_ns == before
    assert "already there" in capsys.readouterr().out


FIRST_TEXTS_AT_ONCE = """
import django, threading
django.setup()
from claims.matching import encoder
errors, start = [], threading.Barrier(4)

def search(n):
    start.wait()
    try:
        encoder.encode([f"The talks lasted more than {n} hours"])
    except Exception as error:
        errors.append(repr(error))

threads = [threading.Thread(target=search, args=(n,)) for n in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(encoder.backend(), errors)
"""


def test_a_new_process_s_first_searches_may_arrive_together(encode_with):
    """A web process's first requests come in on several threads at once; each must get its vector."""
    encode_with("on", TEXTS[:1])  # the ONNX file exists: the new process only loads it
    project = Path(__file__).resolve().parents[2]
    environment = {**os.environ, "PYTHONPATH": str(project), "MATCHING_ENCODER": "on"}

    finished = subprocess.run(
        [sys.executable, "-c", FIRST_TEXTS_AT_ONCE], cwd=project, env=environment, capture_output=True, text=True
    )

    assert finished.returncode == 0, finished.stderr[-2000:]
    assert finished.stdout.strip().splitlines()[-1] == "onnx []"
