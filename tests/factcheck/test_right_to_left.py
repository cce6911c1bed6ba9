"""People's text in Arabic or Hebrew next to Latin words and digits: each piece of it sits in an element with
dir="auto" (or a <bdi>), so the browser sets its direction from the text itself and does not reorder the English
words around it; the pages themselves, written in English, stay left to right."""

from html.parser import HTMLParser

import pytest

from claims.models import Topic
from core.roles import Role
from reviews.services import verdicts
from reviews.services.members import add_member

CLAIM = "قال الوزير إن GDP نما بنسبة 5% في 2025"
SUMMARY = "لم ينمُ الناتج إلا بنسبة 2.1% وفق IMF."
EXPLANATION = "تظهر أرقام البنك المركزي نمواً أبطأ."
CLAIMANT = "وزير المالية"
SOURCE = "تقرير البنك المركزي 2025"
TOPIC = "الاقتصاد"
# Elements with no end tag: they hold no text and never close.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Directions(HTMLParser):
    """For each run of text, the element that sets its direction: the nearest enclosing <bdi> or element with dir."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, dict]] = []
        self.texts: dict[str, set[tuple[str, str | None]]] = {}
        self.root: dict = {}

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.root = dict(attrs)
        if tag not in VOID:
            self.open.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        setting = next(((tag, a.get("dir")) for tag, a in reversed(self.open) if tag == "bdi" or "dir" in a), None)
        self.texts.setdefault(data.strip(), set()).add(setting or ("", None))


def directions_of(html: str, text: str) -> set[tuple[str, str | None]]:
    """What sets the direction of each place the page shows `text` as a text of its own."""
    parser = _Directions()
    parser.feed(html)
    assert text in parser.texts, f"{text!r} is not a text of its own on the page"
    return parser.texts[text]


def html_dir(html: str) -> str | None:
    parser = _Directions()
    parser.feed(html)
    return parser.root.get("dir")


@pytest.fixture
def arabic_verdict(db, make_claim, publish):
    add_member(username="rania", role=Role.REVIEWER, languages=["ar"], capacity=3)
    Topic.objects.create(slug="economy", name=TOPIC)
    claim = make_claim(CLAIM, language="ar", claimant=CLAIMANT, quote="", topics=["economy"])
    source = verdicts.SourceInput(url="https://cbank.example.org/report", title=SOURCE, publisher="البنك المركزي")
    return publish(claim, summary=SUMMARY, explanation=EXPLANATION, sources=(source,))


def test_each_paragraph_of_a_mixed_explanation_takes_its_own_direction(client, db, make_claim, publish):
    arabic = "ارتفع التضخم إلى اثني عشر بالمئة في مارس."
    fact_check = publish(make_claim(), explanation=f"The bank's report says so.\n\n{arabic}")

    html = client.get(fact_check.get_absolute_url()).content.decode()

    assert directions_of(html, arabic) == {("p", "auto")}
    assert directions_of(html, "The bank's report says so.") == {("p", "auto")}


def all_auto(settings: set[tuple[str, str | None]]) -> bool:
    """Each is dir="auto", or a <bdi>, which isolates its text as dir="auto" does."""
    return all(tag == "bdi" or direction == "auto" for tag, direction in settings)


def test_an_arabic_claims_page_marks_its_claim_summary_and_explanation(client, arabic_verdict):
    html = client.get(arabic_verdict.get_absolute_url()).content.decode()

    assert html_dir(html) == "ltr"  # the page's own words are English
    assert directions_of(html, CLAIM) == {("h1", "auto")}
    assert directions_of(html, SUMMARY) == {("p", "auto")}
    # Each paragraph of the Markdown sets its own direction, so Arabic after English still runs right to left.
    assert directions_of(html, EXPLANATION) == {("p", "auto")}
    for text in (CLAIMANT, SOURCE, TOPIC, "البنك المركزي"):
        assert all_auto(directions_of(html, text)), text


@pytest.mark.parametrize("path", ["/fact-checks/", "/topics/economy/", "/claimants/{claimant}/"])
def test_its_card_marks_the_claim_the_claimant_and_the_summary(client, arabic_verdict, path):
    html = client.get(path.format(claimant=arabic_verdict.claim.claimant.slug)).content.decode()

    for text in (CLAIM, SUMMARY, CLAIMANT, TOPIC):
        assert all_auto(directions_of(html, text)), text


def test_its_embed_card_marks_the_claim_the_claimant_and_the_summary(client, arabic_verdict):
    html = client.get(f"{arabic_verdict.get_absolute_url()}embed/").content.decode()

    assert html_dir(html) == "ltr"
    for text in (CLAIM, SUMMARY, CLAIMANT):
        assert all_auto(directions_of(html, text)), text
