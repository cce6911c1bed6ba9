"""A source is a link readers follow from the public page: the desk refuses links to hosts that are private by their
spelling (loopback, private ranges, local names), however the source arrives (one at a time, the whole draft, an
editor's correction; API, workspace or admin), without asking DNS."""

import pytest

from core import netguard
from core.errors import InvalidInput
from core.public_links import link_refusal
from factcheck.record import services as publishing
from reviews.models import Source
from reviews.services import sources, verdicts

CYRILLIC_IDN = "https://пример.рф/статья"
ARABIC_IDN = "https://مثال.إختبار/مقال"

NOT_PUBLIC = [
    "http://127.0.0.1/x",
    "http://localhost/",
    "http://LOCALHOST:8000/admin/",
    "http://localhost./",
    "http://api.localhost/",
    "http://10.0.0.5/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fe80::1%25eth0]/",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://127.1/",
    "http://0177.0.0.1/",
    "http://127.0.0.1./",
    "http://intranet/",
    "http://intranet。/",  # an ideographic full stop is a dot to browsers
    "http://ｌｏｃａｌｈｏｓｔ/",  # noqa: RUF001 (full-width letters fold to "localhost")
    "http://%6c%6fcalhost/",
    "http://printer.local/",
    "http://db.internal/",
    "http://router.home.arpa/",
    "http://1.2.3.4.5/",
    "http://[::1/",
    "ftp://example.org/file",
]

PUBLIC = [
    "https://gov.example.org/schedule",
    "https://example.org./",
    CYRILLIC_IDN,
    ARABIC_IDN,
    "https://xn--e1afmkfd.xn--p1ai/",
    "http://93.184.216.34/",
    "http://[2606:4700:4700::1111]/",
    "https://localhost.example.org/",  # "localhost" only as the last label is local
]


def sources_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/review/sources/"


@pytest.fixture
def no_dns(monkeypatch):
    def refuse(host: str, port: int):
        raise AssertionError(f"a source's link was looked up in DNS: {host}")

    monkeypatch.setattr(netguard, "lookup", refuse)


@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_it_reads_from_the_spelling_alone_that_a_host_cannot_be_public(url, no_dns):
    assert link_refusal(url) is not None


@pytest.mark.parametrize("url", PUBLIC)
def test_it_lets_public_names_and_addresses_through(url, no_dns):
    assert link_refusal(url) is None


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/x", "http://localhost/", "http://10.0.0.5/", "http://[::1]/", "http://printer.local/"],
)
def test_the_api_refuses_a_private_source_with_a_clear_message(api, make_claim, desk, reviewer, url, no_dns):
    claim = make_claim()
    desk.in_review(claim)

    response = api(reviewer).post(sources_url(claim), {"url": url, "title": "Intranet page"}, format="json")

    assert response.status_code == 400, response.content
    (message,) = response.json()["url"]  # the body's own field, as the serializer names it
    assert message.startswith(f"{url!r} ") and message.endswith("readers could not open it. Cite a public address.")
    assert not Source.objects.filter(review__claim=claim).exists()


def test_the_service_refuses_a_private_archive_link_too(make_claim, desk, reviewer, no_dns):
    claim = make_claim()
    desk.in_review(claim)
    with pytest.raises(InvalidInput) as refused:
        source = verdicts.SourceInput(url="https://gov.example.org/a", title="A", archive_url="http://10.0.0.5/copy")
        sources.add_source(claim_id=claim.pk, reviewer=reviewer, source=source)

    assert list(refused.value.errors) == ["sources.archive_url"]
    assert "points at 10.0.0.5, a private or local address" in refused.value.errors["sources.archive_url"][0]
    assert not Source.objects.filter(review__claim=claim).exists()


@pytest.mark.parametrize("url", [CYRILLIC_IDN, ARABIC_IDN])
def test_an_idn_source_is_accepted_and_published(api, client, make_claim, desk, reviewer, editor, url, no_dns):
    claim = make_claim()
    desk.in_review(claim)

    added = api(reviewer).post(sources_url(claim), {"url": url, "title": "Официальный отчёт"}, format="json")

    assert added.status_code == 201, added.content
    assert [s["url"] for s in added.json()["sources"]] == [url]
    verdicts.autosave_review(claim_id=claim.pk, reviewer=reviewer, rating="false", summary="S.", explanation="E.")
    verdicts.submit_review(claim_id=claim.pk, reviewer=reviewer)
    fact_check = verdicts.approve_claim(claim_id=claim.pk, editor=editor)
    page = client.get(fact_check.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page


def test_the_whole_draft_save_refuses_a_private_source(api, make_claim, desk, reviewer, no_dns):
    claim = make_claim()
    desk.in_review(claim)
    draft = {
        "rating": "false",
        "summary": "S.",
        "explanation": "E.",
        "sources": [{"url": "https://gov.example.org/a", "title": "A"}, {"url": "http://[::1]:8000/", "title": "B"}],
    }

    response = api(reviewer).put(f"/api/v1/claims/{claim.pk}/review/", draft, format="json")

    assert response.status_code == 400, response.content
    assert "points at ::1" in response.json()["sources"]["1"]["url"][0]  # nested by index, as the serializer's
    assert not Source.objects.filter(review__claim=claim).exists()


def test_a_correction_refuses_a_private_source_and_publishes_nothing(make_claim, desk, other_editor, no_dns):
    claim = make_claim()
    desk.published(claim)
    fact_check = claim.fact_check
    versions = fact_check.versions.count()

    with pytest.raises(InvalidInput) as refused:
        publishing.correct(
            claim_id=claim.pk,
            editor=other_editor,
            note="A better source.",
            sources=[
                {"url": "http://localhost:8080/leak", "title": "Internal memo", "publisher": "", "archive_url": ""}
            ],
        )

    assert list(refused.value.errors) == ["sources.url"]
    assert fact_check.versions.count() == versions
