"""Claims, summaries, correction notes and retraction reasons are plain text: a feed reader shows them as typed,
never as markup (read with feedparser, as a feed reader would)."""

import feedparser
import pytest

from factcheck.record import services as publishing

ATOM = "/feeds/fact-checks.atom"


def read_entries(client) -> list[feedparser.FeedParserDict]:
    answer = client.get(ATOM)
    assert answer.status_code == 200
    feed = feedparser.parse(answer.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed.entries


@pytest.mark.parametrize(
    "summary",
    [
        "<img src=x onerror=alert(1)>",
        "Imports<exports and exports>imports held all year.",
        "Tom &amp; Jerry said &lt;b&gt; is bold.",
    ],
)
def test_it_shows_a_summary_as_the_text_it_is(client, make_claim, publish, summary):
    publish(make_claim("Trade rose by 12% last year"), summary=summary)

    [entry] = read_entries(client)

    assert entry.summary == summary
    assert entry.summary_detail.type == "text/plain"


def test_it_shows_a_correction_note_as_the_text_it_is(client, make_claim, publish, editor):
    fact_check = publish(make_claim())
    publishing.correct(claim_id=fact_check.claim_id, editor=editor, note="<b>note</b>", summary="a<b and c>d")

    [entry] = read_entries(client)

    assert entry.summary == "Correction (version 2): <b>note</b>\n\na<b and c>d"
    assert entry.summary_detail.type == "text/plain"


def test_it_shows_a_retraction_reason_as_the_text_it_is(client, make_claim, publish, editor):
    fact_check = publish(make_claim())
    publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="Forged <i>memo</i> & <script>x</script>")

    [entry] = read_entries(client)

    assert entry.summary == "This fact-check was retracted: Forged <i>memo</i> & <script>x</script>"


def test_it_shows_a_claim_in_the_title_as_the_text_it_is(client, make_claim, publish):
    publish(make_claim("The ratio a<b and c>d holds for <em>all</em> cases"))

    [entry] = read_entries(client)

    assert entry.title == "False: The ratio a<b and c>d holds for <em>all</em> cases"
    assert entry.title_detail.type == "text/plain"
