"""Reports in the journalist's workspace through Django's test client: submitting one by its address, its HTML or its
text; following its fetching; its sentences ranked by check-worthiness; making a claim from one in a click; and the
"already fact-checked" warning."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

import claims.tasks  # noqa: F401  (registers the ingestion tasks that run after a report's commit)
from claims import services
from claims.duplicates import mark_duplicate
from claims.ingest import services as ingest
from claims.ingest.models import ReportSentence
from claims.models import Claim, Report
from factcheck.site.csp import HEADER, POLICY

SUBMIT_REPORT = reverse("workspace:submit-report")
MY_CLAIMS = reverse("workspace:my-claims")
ADDRESS = "https://news.example.org/2026/03/budget-speech"
BODY = (
    "The minister opened the budget debate on Tuesday.\n"
    "Unemployment fell to 4.2% in 2025, the lowest level in twenty years, she said.\n"
    "The opposition disagreed."
)
CLAIMED = "Unemployment fell to 4.2% in 2025, the lowest level in twenty years, she said."
PAGE = b"""<!doctype html><html lang="de"><head><title>Haushaltsdebatte im Bundestag</title>
<meta property="og:site_name" content="Beispiel Zeitung"></head><body><article><h1>Haushaltsdebatte im Bundestag</h1>
<p>Die Ministerin hat am Dienstag die Haushaltsdebatte eroeffnet und ueber den Arbeitsmarkt gesprochen.</p>
<p>Die Arbeitslosigkeit sei im Jahr 2025 auf 4,2 Prozent gesunken, so niedrig wie seit zwanzig Jahren nicht mehr.</p>
<p>Die Opposition widersprach ihr in allen Punkten und verlangte neue Zahlen vom Statistischen Bundesamt.</p>
</article></body></html>"""
# Cyrillic letters that look Latin and Chinese full-width commas are the point of these texts.
SCRIPTS = {
    "ru": "Министр открыла дебаты о бюджете во вторник. Безработица упала до 4,2% в 2025 году, заявила она.",  # noqa: RUF001
    "ar": "افتتحت الوزيرة نقاش الميزانية يوم الثلاثاء. انخفضت البطالة إلى 4.2% في عام 2025، قالت.",
    "zh-hans": "部长周二开启了预算辩论。她说，2025年失业率降至4.2%，为二十年来最低。",  # noqa: RUF001
    "hi": "मंत्री ने मंगलवार को बजट बहस शुरू की। उन्होंने कहा कि 2025 में बेरोज़गारी घटकर 4.2% रह गई।",
}


def report_url(report) -> str:
    return reverse("workspace:report", kwargs={"report_id": report.pk})


def make_claim_url(report) -> str:
    return reverse("workspace:make-claim", kwargs={"report_id": report.pk})


def claim_url(claim) -> str:
    return reverse("workspace:claim", kwargs={"claim_id": claim.pk})


def shown_messages(answer) -> list[str]:
    return [str(message) for message in answer.context["messages"]]


@pytest.fixture
def jane(client, journalist):
    client.force_login(journalist)
    return client


@pytest.fixture
def pasted(journalist):
    return ingest.submit_report(user=journalist, headline="Budget debate", language="en", body=BODY)


def sentence_of(report, text: str) -> ReportSentence:
    return ReportSentence.objects.get(report=report, text=text)


# Submitting: by text, by HTML, by address.


def test_it_submits_pasted_text_and_ranks_its_sentences(jane, journalist):
    answer = jane.post(SUBMIT_REPORT, {"headline": "Budget debate", "language": "en", "body": BODY}, follow=True)

    report = Report.objects.get()
    assert (report.status, report.submitted_by, report.body) == ("ready", journalist, BODY)
    assert answer.redirect_chain == [(report_url(report), 302)]
    assert shown_messages(answer) == ["The report is saved. Now make claims from its sentences."]
    ranked = [sentence.text for sentence in answer.context["candidates"]]
    by_score = ReportSentence.objects.filter(report=report).order_by("-score", "position")
    assert ranked == [row.text for row in by_score] and len(ranked) == 3
    html = answer.content.decode()
    for row in by_score:
        assert re.search(rf'<span class="sentence worth-\d" id="sentence-{row.pk}" title="[^"]+: \d+%">', html)
    assert html.count('class="make-claim"') == 3


def test_it_reads_the_pages_html_for_what_the_journalist_left_out(jane):
    answer = jane.post(SUBMIT_REPORT, {"html": PAGE.decode(), "url": "https://zeitung.example.de/haushalt"})

    report = Report.objects.get()
    assert answer.status_code == 302 and answer["Location"] == report_url(report)
    assert (report.headline, report.language, report.status) == ("Haushaltsdebatte im Bundestag", "de", "ready")
    assert "Die Arbeitslosigkeit sei im Jahr 2025 auf 4,2 Prozent gesunken" in report.body
    assert report.sentences.count() >= 3


def test_it_fetches_an_address_and_the_page_refreshes_itself_meanwhile(jane):
    answer = jane.post(SUBMIT_REPORT, {"url": ADDRESS}, follow=True)  # the fetch waits for a commit that never comes

    report = Report.objects.get()
    assert (report.status, report.url) == ("fetching", ADDRESS)
    assert shown_messages(answer) == ["The report is saved. The desk is fetching its page now."]
    html = answer.content.decode()
    assert '<meta http-equiv="refresh" content="4">' in html
    assert "Fetching…" in html and "refreshes itself every 4 seconds" in html
    assert '<a href="?refresh=off">Stop refreshing</a>' in html
    assert 'class="make-claim"' not in html and "Submit the claim" not in html


def test_the_reader_can_stop_the_page_refreshing_itself(jane, journalist):
    report = ingest.submit_report(user=journalist, url=ADDRESS)

    html = jane.get(report_url(report), {"refresh": "off"}).content.decode()

    assert "http-equiv" not in html and "Fetching…" in html
    assert f'<a href="{report_url(report)}">Check again</a>' in html


def test_it_takes_the_journalist_to_the_report_already_submitted_from_that_address(jane, other_journalist):
    earlier = ingest.submit_report(
        user=other_journalist, url=ADDRESS, headline="Budget debate", body=BODY, language="en"
    )

    answer = jane.post(SUBMIT_REPORT, {"url": ADDRESS + "?utm_source=feed"}, follow=True)

    assert answer.redirect_chain == [(report_url(earlier), 302)]
    assert shown_messages(answer) == ["This address was submitted before: here is the report the desk already has."]
    assert Report.objects.count() == 1


def test_it_asks_for_the_headline_of_pasted_text_and_gives_it_the_desks_language(jane):
    answer = jane.post(SUBMIT_REPORT, {"body": BODY, "language": ""})

    assert answer.status_code == 400
    assert answer.context["form"].errors == {"headline": ["Give the headline: pasted text does not say it."]}
    assert not Report.objects.exists()

    jane.post(SUBMIT_REPORT, {"body": BODY, "headline": "Budget debate", "language": ""})

    assert Report.objects.get().language == "en"


def test_it_refuses_both_html_and_text_or_neither(jane):
    both = jane.post(SUBMIT_REPORT, {"html": PAGE.decode(), "body": BODY, "headline": "x", "language": "en"})
    neither = jane.post(SUBMIT_REPORT, {"headline": "Budget debate", "language": "en"})

    assert both.context["form"].errors == {"body": ["Give the page's HTML or its text, not both."]}
    assert neither.context["form"].errors == {"body": ["Give the report's address, its HTML or its text."]}
    assert not Report.objects.exists()


@pytest.mark.parametrize("address", ["ftp://files.example.org/report.txt", "http://2130706433:8765/a"])
def test_it_refuses_an_address_it_could_never_fetch_on_the_form_and_saves_nothing(jane, address):
    answer = jane.post(SUBMIT_REPORT, {"url": address, "language": ""})

    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert list(errors) == ["url"]  # not also a headline that only pasted text needs
    assert not Report.objects.exists()


def test_the_longest_text_the_form_takes_in_any_script_goes_through_as_a_browser_posts_it(jane):
    sentence = "मंत्री ने कहा कि पिछले साल निर्यात में 15 प्रतिशत की वृद्धि हुई। "
    body = (sentence * (ingest.TEXT_MAX // len(sentence) + 1))[: ingest.TEXT_MAX].strip()
    fields = {"body": body, "headline": "निर्यात", "language": "hi"}
    # Sent form-encoded, each Devanagari letter takes nine bytes: 1.8 MB for the text the form allows.
    encoded = urlencode(fields).encode()

    answer = jane.post(SUBMIT_REPORT, encoded, content_type="application/x-www-form-urlencoded")

    assert answer.status_code == 302, answer.content[:300]
    assert Report.objects.get().body == body
    # And the page posts it as multipart, four bytes a letter at most.
    assert 'enctype="multipart/form-data"' in jane.get(SUBMIT_REPORT).content.decode()


def test_it_asks_for_the_language_of_a_page_that_does_not_say_it(jane):
    page = PAGE.decode().replace(' lang="de"', "")

    unsaid = jane.post(SUBMIT_REPORT, {"html": page, "language": ""})
    said = jane.post(SUBMIT_REPORT, {"html": page, "language": "de"})

    assert unsaid.status_code == 400
    assert unsaid.context["form"].errors == {
        "language": ["The page does not say its language: say which language it is in."]
    }
    assert said.status_code == 302 and Report.objects.get().language == "de"


# A report that could not be read.


@pytest.fixture
def failed(journalist):
    report = ingest.submit_report(user=journalist, url=ADDRESS)
    return ingest.fail_fetching(report_id=report.pk, reason="The server answered 503 Service Unavailable.")


def test_it_says_why_a_report_could_not_be_read_and_fetches_it_again(jane, failed):
    html = jane.get(report_url(failed)).content.decode()
    assert 'Could not be read:</strong> <span dir="auto">The server answered 503 Service Unavailable.</span>' in html
    assert 'http-equiv="refresh"' not in html

    answer = jane.post(reverse("workspace:fetch-again", kwargs={"report_id": failed.pk}), follow=True)

    failed.refresh_from_db()
    assert (failed.status, failed.failure) == ("fetching", "")
    assert shown_messages(answer) == ["The desk is fetching the page again."]
    assert '<meta http-equiv="refresh"' in answer.content.decode()


def test_it_refuses_to_fetch_again_another_journalists_report(client, other_journalist, failed):
    client.force_login(other_journalist)
    assert "Fetch again" not in client.get(report_url(failed)).content.decode()  # shared by its address, read-only

    answer = client.post(reverse("workspace:fetch-again", kwargs={"report_id": failed.pk}))

    assert answer.status_code == 403
    assert "Only the report&#x27;s submitter or an editor can fetch it again." in answer.content.decode()
    failed.refresh_from_db()
    assert failed.status == "failed"


# Making a claim from a sentence.


def test_one_click_makes_a_claim_whose_quote_is_the_sentence(jane, journalist, pasted):
    sentence = sentence_of(pasted, CLAIMED)

    answer = jane.post(make_claim_url(pasted), {"sentence": sentence.pk}, follow=True)

    claim = Claim.objects.get()
    assert answer.redirect_chain == [(claim_url(claim), 302)]
    assert "The claim is submitted: an editor will triage it." in shown_messages(answer)
    assert claim.quote == pasted.body[claim.quote_start : claim.quote_end] == CLAIMED
    assert (claim.text, claim.report, claim.submitted_by, claim.status) == (CLAIMED, pasted, journalist, "submitted")
    assert (claim.claimant, claim.language, claim.checkworthiness) == (None, "en", sentence.score)
    page = jane.get(report_url(pasted)).content.decode()
    assert f'<mark class="quote">{CLAIMED}</mark>' in page
    assert page.count('class="make-claim"') == 2  # the claimed sentence links to its claim instead
    assert f'href="{claim_url(claim)}"' in page


def test_the_claimant_can_be_named_with_the_click(jane, pasted):
    sentence = sentence_of(pasted, CLAIMED)

    jane.post(
        make_claim_url(pasted),
        {"sentence": sentence.pk, "claimant": "Ministry of Labour", "claimant_kind": "Organization"},
    )

    claimant = Claim.objects.get().claimant
    assert (claimant.name, claimant.kind) == ("Ministry of Labour", "Organization")


def test_the_same_post_twice_makes_one_claim(jane, pasted):
    sentence = sentence_of(pasted, CLAIMED)

    first = jane.post(make_claim_url(pasted), {"sentence": sentence.pk})
    second = jane.post(make_claim_url(pasted), {"sentence": sentence.pk}, follow=True)

    claim = Claim.objects.get()
    assert first["Location"] == claim_url(claim)
    assert second.redirect_chain == [(claim_url(claim), 302)]
    assert shown_messages(second)[-1] == "You made a claim from this sentence already: here it is."


def test_it_refuses_sentences_of_reports_the_journalist_may_not_cite(jane, pasted, other_journalist):
    theirs = ingest.submit_report(user=other_journalist, headline="Private notes", language="en", body=BODY)
    forged = sentence_of(theirs, CLAIMED)

    in_my_report = jane.post(make_claim_url(pasted), {"sentence": forged.pk})
    in_their_report = jane.post(make_claim_url(theirs), {"sentence": forged.pk})
    not_a_number = jane.post(make_claim_url(pasted), {"sentence": "1 OR 1=1"})

    assert (in_my_report.status_code, in_their_report.status_code, not_a_number.status_code) == (400, 404, 400)
    assert "This report has no such sentence." in in_my_report.content.decode()
    assert not Claim.objects.exists()


# Already fact-checked.


def publish(make_claim, desk, text: str):
    claim = make_claim(text, quote="")
    desk.published(claim)
    return claim


def test_a_claim_matching_a_published_verdict_warns_the_journalist(
    jane, make_claim, desk, journalist, django_capture_on_commit_callbacks
):
    published = publish(make_claim, desk, "Unemployment fell to 4.2% in 2025, the lowest level in twenty years")
    with django_capture_on_commit_callbacks(execute=True):  # the report's sentences are matched after its commit
        report = ingest.submit_report(user=journalist, headline="Budget debate", language="en", body=BODY)
    report_page = jane.get(report_url(report)).content.decode()
    assert "Already fact-checked: False" in report_page
    assert f'href="{published.fact_check.public_url}"' in report_page

    answer = jane.post(make_claim_url(report), {"sentence": sentence_of(report, CLAIMED).pk}, follow=True)

    assert any(m.startswith("Already fact-checked:") and "“False”" in m for m in shown_messages(answer))
    html = answer.content.decode()
    assert '<h2 id="already-heading">Already fact-checked</h2>' in html
    assert '<strong class="rating">False</strong>' in html
    assert f'href="{published.fact_check.public_url}"' in html


def test_a_claim_without_a_match_shows_no_warning(jane, pasted):
    answer = jane.post(
        make_claim_url(pasted), {"sentence": sentence_of(pasted, "The opposition disagreed.").pk}, follow=True
    )

    assert not any(m.startswith("Already fact-checked") for m in shown_messages(answer))
    assert "already-heading" not in answer.content.decode()


@pytest.mark.parametrize(
    ("canonical_text", "shown"),
    [
        ("The talks lasted more than five hours", "five hours</span>”. <a"),
        ("The talks lasted more than five hours.", "five hours.</span>” <a"),
        ("Did the talks last five hours?", "five hours?</span>” <a"),
    ],
)
def test_a_duplicates_line_ends_its_sentence_once(jane, make_claim, desk, editor, canonical_text, shown):
    canonical = make_claim(canonical_text)
    desk.published(canonical)
    duplicate = make_claim("The Geneva talks ran for over five hours")
    mark_duplicate(claim_id=duplicate.pk, canonical_id=canonical.pk, editor=editor)

    assert shown in jane.get(claim_url(duplicate)).content.decode()


def test_my_claims_shows_a_duplicate_with_the_canonical_verdict(jane, make_claim, desk, editor):
    canonical = make_claim("The talks lasted more than five hours")
    fact_check = desk.published(canonical)
    duplicate = make_claim("The Geneva talks ran for over five hours")
    mark_duplicate(claim_id=duplicate.pk, canonical_id=canonical.pk, editor=editor)

    html = jane.get(MY_CLAIMS).content.decode()

    assert html.count("Duplicate of “") == 1
    assert 'Duplicate of “<span dir="auto">The talks lasted more than five hours</span>”' in html
    assert html.count(f'href="{fact_check.get_absolute_url()}"') == 2  # its own row's verdict and the duplicate's
    assert "<strong>False</strong>" in html
    assert "Duplicate of “" in jane.get(claim_url(duplicate)).content.decode()


def test_a_duplicate_whose_canonical_claim_waits_says_so(jane, make_claim, editor):
    canonical, duplicate = make_claim("The talks lasted more than five hours"), make_claim("Five hours of talks")
    mark_duplicate(claim_id=duplicate.pk, canonical_id=canonical.pk, editor=editor)

    assert "Duplicate of an earlier claim; its verdict is not published yet." in jane.get(MY_CLAIMS).content.decode()


def test_another_journalists_claim_page_is_not_found(client, other_journalist, make_claim):
    claim = make_claim()
    client.force_login(other_journalist)

    assert client.get(claim_url(claim)).status_code == 404


# Scripts, and the site's policy.


@pytest.mark.parametrize("language", sorted(SCRIPTS))
def test_it_works_in_other_scripts(jane, language):
    body = SCRIPTS[language]
    jane.post(SUBMIT_REPORT, {"headline": body[:20], "language": language, "body": body})
    report = Report.objects.get()
    sentences = list(report.sentences.order_by("position"))
    assert len(sentences) == 2, [s.text for s in sentences]

    answer = jane.post(make_claim_url(report), {"sentence": sentences[1].pk}, follow=True)

    claim = Claim.objects.get()
    assert claim.quote == body[claim.quote_start : claim.quote_end] == sentences[1].text
    assert claim.language == language
    report_page = jane.get(report_url(report)).content.decode()
    assert f'lang="{language}" dir="auto" data-quote-source>' in report_page
    assert f'<mark class="quote">{claim.quote}</mark>' in report_page
    assert f'<p class="claim-text lead" dir="auto">{claim.text}</p>' in answer.content.decode()


@pytest.mark.parametrize("page", ["report", "failed", "claim"])
def test_its_pages_carry_the_sites_content_security_policy(jane, pasted, failed, page):
    if page == "claim":
        claim = services.submit_claim(user=pasted.submitted_by, sentence=sentence_of(pasted, CLAIMED).pk)
        url = claim_url(claim)
    else:
        url = report_url(pasted if page == "report" else failed)

    answer = jane.get(url)

    assert answer.status_code == 200
    assert answer[HEADER] == POLICY
    assert "style=" not in answer.content.decode()
    assert "<script>" not in answer.content.decode()
