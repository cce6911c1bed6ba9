"""The journalist's claim page lists similar verdicts with how close each is, in words a journalist can act on."""

import re

import pytest
from django.urls import reverse

from claims.similar import SimilarItem


@pytest.fixture
def jane(client, journalist):
    client.force_login(journalist)
    return client


def similar_lines(html: str) -> list[str]:
    section = html[html.index('id="similar-heading"') :]
    return re.findall(r'<span class="meta">([^<]*)</span>', section[: section.index("</section>")])


def test_a_close_verdict_is_named_close_and_an_unrelated_one_loose_without_a_zero_score(
    jane, journalist, make_claim, desk
):
    desk.published(make_claim("The talks lasted more than five hours"))
    close = make_claim("The talks lasted more than five hours, the minister said")
    far = make_claim("The city zoo bought two penguins for its winter exhibit")

    close_page = jane.get(reverse("workspace:claim", kwargs={"claim_id": close.pk})).content.decode()
    far_page = jane.get(reverse("workspace:claim", kwargs={"claim_id": far.pk})).content.decode()

    (close_line,) = similar_lines(close_page)
    (far_line,) = similar_lines(far_page)
    assert re.search(r"close match \(0\.\d\d\)|close match \(1\.00\)", close_line), close_line
    assert far_line.endswith("loose match") and "0.0" not in far_line, far_line


@pytest.mark.parametrize(
    ("score", "words"),
    [(0.0004, "loose match"), (0.29, "loose match"), (0.3, "possible match (0.30)"), (0.74, "possible match (0.74)")],
)
def test_closeness_in_words(settings, score, words):
    settings.MATCHING_THRESHOLD = 0.75
    item = SimilarItem(kind="fact_check", id=1, text="t", language="en", score=score, payload={})

    assert item.closeness == words
    assert SimilarItem(**{**item.__dict__, "score": 0.75}).closeness == "close match (0.75)"
