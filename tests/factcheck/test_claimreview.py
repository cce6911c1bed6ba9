"""factcheck.record.claimreview.build_claim_review, pure: unsaved objects in, a schema.org ClaimReview dict out."""

import itertools
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.conf import settings

from claims.models import Claim, Claimant, Report
from factcheck.models import FactCheck, FactCheckVersion, Rating, RatingScale
from factcheck.record.claimreview import build_claim_review
from factcheck.record.snapshot import snapshot

SITE = "https://facts.example.org"
PUBLISHER = "Example Fact Desk"
SCHEMA_TTL = Path(settings.BASE_DIR).parent / "shared/standards/schemaorg.ttl"


def scale() -> RatingScale:
    return RatingScale(slug="accuracy", name="Accuracy", best=5, worst=1, is_default=True)


def rating(slug="false", label="False", value=1) -> Rating:
    return Rating(scale=scale(), slug=slug, label=label, value=value)


def full_claim() -> Claim:
    report = Report(
        url="https://news.example.org/geneva-talks",
        headline="Ministers meet in Geneva",
        outlet="Example News",
        published_at=datetime(2025, 3, 13, 22, 0, tzinfo=UTC),
        language="en",
    )
    return Claim(
        text="The talks lasted more than five hours",
        language="en",
        report=report,
        claimant=Claimant(name="Minister Jane Roe", kind=Claimant.Kind.PERSON),
        claim_date=date(2025, 3, 12),
    )


def version_of(claim: Claim, the_rating: Rating | None = None) -> FactCheckVersion:
    fact_check = FactCheck(
        claim=claim,
        slug="the-talks-lasted-more-than-five-hours-7",
        published_at=datetime(2025, 3, 14, 8, 0, tzinfo=UTC),
        updated_at=datetime(2025, 3, 14, 8, 0, tzinfo=UTC),
    )
    the_rating = the_rating or rating()
    # As publishing does: the version carries its own copy of the rating, claimant and report.
    return FactCheckVersion(
        fact_check=fact_check,
        number=1,
        rating=the_rating,
        summary="It was four hours.",
        explanation="The schedule says so.",
        sources=[],
        created_at=datetime(2025, 3, 14, 8, 0, tzinfo=UTC),
        **snapshot(rating=the_rating, claim=claim),
    )


def build(version: FactCheckVersion) -> dict:
    return build_claim_review(version, site_url=SITE, publisher_name=PUBLISHER)


def test_it_describes_a_rated_claim_in_full():
    review = build(version_of(full_claim()))

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == SITE + "/fact-checks/the-talks-lasted-more-than-five-hours-7/"
    assert review["claimReviewed"] == "The talks lasted more than five hours"
    assert review["datePublished"] == "2025-03-14"
    assert review["inLanguage"] == "en"
    assert review["author"] == {"@type": "Organization", "name": PUBLISHER, "url": SITE + "/"}
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    appearance = {
        "@type": "CreativeWork",
        "url": "https://news.example.org/geneva-talks",
        "headline": "Ministers meet in Geneva",
        "datePublished": "2025-03-13",
        "publisher": {"@type": "Organization", "name": "Example News"},
    }
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Minister Jane Roe"},
        "datePublished": "2025-03-12",
        "appearance": [appearance],
        "firstAppearance": appearance,
    }


def test_it_is_plain_json():
    review = build(version_of(full_claim()))

    assert json.loads(json.dumps(review)) == review


def test_it_gives_a_rating_off_the_scale_only_its_name():
    misleading = rating(slug="misleading", label="Misleading", value=None)

    review = build(version_of(full_claim(), misleading))

    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Misleading"}


def test_it_uses_the_scale_of_the_rating_for_best_and_worst():
    ten_point = Rating(scale=RatingScale(slug="ten", name="Ten", best=10, worst=0), slug="ok", label="OK", value=7)

    review = build(version_of(full_claim(), ten_point))

    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "OK",
        "ratingValue": 7,
        "bestRating": 10,
        "worstRating": 0,
    }


def test_it_names_an_organisation_as_claimant_by_its_type():
    claim = full_claim()
    claim.claimant = Claimant(name="Ministry of Trade", kind=Claimant.Kind.ORGANIZATION)

    review = build(version_of(claim))

    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Ministry of Trade"}


def test_it_omits_author_date_and_appearance_of_a_bare_claim():
    claim = Claim(text="Trade rose by 12% last year", language="de")

    review = build(version_of(claim))

    assert review["itemReviewed"] == {"@type": "Claim"}
    assert review["claimReviewed"] == "Trade rose by 12% last year"
    assert review["inLanguage"] == "de"


def test_it_omits_the_appearance_of_a_report_without_url():
    claim = full_claim()
    claim.report = Report(headline="Pasted text", body="Trade rose by 12% last year.", language="en")

    item = build(version_of(claim))["itemReviewed"]

    assert "appearance" not in item
    assert "firstAppearance" not in item
    assert item["author"] == {"@type": "Person", "name": "Minister Jane Roe"}


def test_it_leaves_out_what_the_report_does_not_say():
    claim = full_claim()
    claim.report = Report(url="https://blog.example.org/post", headline="A post", language="en")

    item = build(version_of(claim))["itemReviewed"]

    assert item["appearance"] == [
        {"@type": "CreativeWork", "url": "https://blog.example.org/post", "headline": "A post"}
    ]


# --- Every type and property exists in the schema.org vocabulary and is used on a type it belongs to. ----------

_STRINGS = re.compile(r'"""(?:.|\n)*?"""|"(?:[^"\\\n]|\\.)*"')
_SUBJECT = re.compile(r"^(?:schema)?:(\w+) a ", re.MULTILINE)


def _terms(block: str, predicate: str) -> set[str]:
    match = re.search(rf"{predicate}\s+((?:(?:schema)?:\w+\s*,\s*)*(?:schema)?:\w+)", block)
    return set(re.findall(r":(\w+)", match.group(1))) if match else set()


def _vocabulary() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """From the Turtle file: {class: direct superclasses} and {property: domainIncludes}."""
    if not SCHEMA_TTL.exists():
        pytest.skip(f"schema.org vocabulary not found at {SCHEMA_TTL}")
    text = _STRINGS.sub('""', SCHEMA_TTL.read_text(encoding="utf-8"))
    starts = [m.start() for m in _SUBJECT.finditer(text)] + [len(text)]
    classes: dict[str, set[str]] = {}
    properties: dict[str, set[str]] = {}
    for begin, end in itertools.pairwise(starts):
        block = text[begin:end]
        name = _SUBJECT.match(block).group(1)
        header = block.split(";")[0]
        if re.search(r"\brdfs:Class\b", header):
            classes[name] = _terms(block, r"rdfs:subClassOf")
        if re.search(r"\brdf:Property\b", header):
            properties[name] = _terms(block, r":domainIncludes")
    return classes, properties


def _ancestors(name: str, classes: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(classes.get(current, ()))
    return seen


def _typed_objects(node):
    """Every dict with an @type inside the JSON-LD tree."""
    if isinstance(node, dict):
        if "@type" in node:
            yield node
        for value in node.values():
            yield from _typed_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _typed_objects(value)


def _richest_claim_reviews() -> list[dict]:
    organisation = full_claim()
    organisation.claimant = Claimant(name="Ministry of Trade", kind=Claimant.Kind.ORGANIZATION)
    return [build(version_of(full_claim())), build(version_of(organisation))]


def test_it_reads_the_vocabulary_file():
    classes, properties = _vocabulary()

    assert "Review" in classes["ClaimReview"]
    assert properties["claimReviewed"] == {"ClaimReview"}
    assert "domainIncludes" not in properties
    assert len(classes) > 500
    assert len(properties) > 1000


def test_it_emits_only_types_and_properties_of_schema_org():
    classes, properties = _vocabulary()

    for review in _richest_claim_reviews():
        for node in _typed_objects(review):
            assert node["@type"] in classes, f"{node['@type']} is not a schema.org type"
            for key in node:
                if not key.startswith("@"):
                    assert key in properties, f"{key} is not a schema.org property"


def test_it_uses_each_property_on_a_type_it_belongs_to():
    classes, properties = _vocabulary()

    for review in _richest_claim_reviews():
        for node in _typed_objects(review):
            lineage = _ancestors(node["@type"], classes)
            for key in node:
                if not key.startswith("@"):
                    assert properties[key] & lineage, f"{key} does not apply to {node['@type']}"
