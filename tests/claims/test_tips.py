"""Reader tips: anyone suggests a claim through the form or the API; it lands as a submitted claim for triage, while
bots, floods and oversized or marked-up input are kept out."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from claims.models import Claim, ClaimStatus, Origin
from factcheck.site.tips.services import TIP_USERNAME

API = "/api/v1/tips/"
FORM = "/tips/"
TIP = {
    "text": "The mayor said crime fell by half last year.",
    "url": "https://social.example.com/post/1",
    "email": "reader@example.org",
    "language": "en",
}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # the limit lives in the cache, which outlives a test's database transaction
    yield
    cache.clear()


def post_api(api, address="203.0.113.9", **fields):
    return api().post(API, {**TIP, **fields}, format="json", REMOTE_ADDR=address)


def post_form(client, address="203.0.113.9", **fields):
    return client.post(FORM, {**TIP, **fields}, REMOTE_ADDR=address)


def test_it_files_a_tip_from_the_form_as_a_submitted_claim(client, db):
    page = client.get(FORM)
    answer = post_form(client)

    assert page.status_code == 200
    assert 'name="website"' in page.content.decode()
    assert answer.status_code == 302
    thanks = client.get(answer["Location"]).content.decode()
    assert "Your tip has reached our editors" in thanks
    claim = Claim.objects.get()
    assert (claim.text, claim.status, claim.origin) == (TIP["text"], ClaimStatus.SUBMITTED, Origin.READER_TIP)
    assert (claim.tip_url, claim.tip_email, claim.language) == (TIP["url"], TIP["email"], "en")
    assert claim.submitted_by.username == TIP_USERNAME
    assert list(claim.events.values_list("from_status", "to_status")) == [("", ClaimStatus.SUBMITTED)]


def test_it_files_a_tip_from_the_api_without_signing_in(api, db):
    answer = post_api(api, language="de", text="Der Bürgermeister sagte, die Kriminalität habe sich halbiert.")

    assert answer.status_code == 202
    assert "id" not in answer.json()  # tips are not public; an id would only let anyone count them
    claim = Claim.objects.get()
    assert (claim.status, claim.origin, claim.language) == (ClaimStatus.SUBMITTED, Origin.READER_TIP, "de")


def test_it_needs_only_the_claim_and_defaults_to_english(api, db):
    answer = api().post(API, {"text": "Bananas are berries but strawberries are not."}, format="json")

    assert answer.status_code == 202
    claim = Claim.objects.get()
    assert (claim.language, claim.tip_url, claim.tip_email) == ("en", "", "")


def test_it_files_tips_under_a_system_user_that_cannot_sign_in(api, client, db):
    post_api(api)
    post_form(client, address="198.51.100.7")

    users = get_user_model().objects.filter(username=TIP_USERNAME)
    assert users.count() == 1
    user = users.get()
    assert not user.has_usable_password()
    assert not user.groups.exists()
    assert not user.is_staff and not user.is_superuser
    assert Claim.objects.filter(submitted_by=user).count() == 2


def test_it_stores_plain_text_only(api, db):
    messy = "  <b>Crime</b>\x1b fell\x07 by\u202e half\n\n<script>alert(1)</script> last  year.\t"

    assert post_api(api, text=messy).status_code == 202

    # Plain text as typed (pages escape it); controls and bidi overrides dropped, whitespace collapsed.
    assert Claim.objects.get().text == "<b>Crime</b> fell by half <script>alert(1)</script> last year."


@pytest.mark.parametrize("post", [post_api, post_form])
def test_it_pretends_to_accept_what_fills_the_honeypot_but_stores_nothing(api, client, db, post):
    answer = post(api if post is post_api else client, website="http://spam.example")

    assert answer.status_code in (202, 302)
    assert not Claim.objects.exists()
    if post is post_form:
        assert answer["Location"] == "/tips/?sent=1"  # the very same thank-you a person gets


@pytest.mark.parametrize("post", [post_api, post_form])
def test_it_limits_tips_per_address_with_retry_after(api, client, db, settings, post):
    settings.TIP_RATE_LIMIT = 5
    sender = api if post is post_api else client

    answers = [post(sender, text=f"Claim number {n} that needs a check.") for n in range(6)]

    assert [a.status_code for a in answers[:5]] == [202] * 5 if post is post_api else [302] * 5
    assert answers[5].status_code == 429
    assert 3500 <= int(answers[5]["Retry-After"]) <= 3600
    assert Claim.objects.count() == 5
    assert post(sender, address="198.51.100.7").status_code in (202, 302)  # another reader is not held back


@pytest.mark.parametrize("post", [post_api, post_form])
def test_a_tip_refused_for_its_content_does_not_count_against_the_limit(api, client, db, settings, post):
    settings.TIP_RATE_LIMIT = 2
    sender = api if post is post_api else client
    typos = [{"email": "not an address"}, {"url": "javascript:alert(1)"}, {"text": " \u200b "}, {"text": "x" * 5000}]

    refused = [post(sender, **typo).status_code for typo in typos]
    filed = [post(sender, text=f"Claim number {n} that needs a check.").status_code for n in range(3)]

    assert refused == [400] * len(typos)
    assert filed[:2] == ([202] * 2 if post is post_api else [302] * 2) and filed[2] == 429
    assert Claim.objects.count() == 2


def test_it_shares_one_limit_between_form_and_api(api, client, db, settings):
    settings.TIP_RATE_LIMIT = 2
    post_form(client)
    post_api(api)

    assert post_form(client).status_code == 429
    assert post_api(api).status_code == 429


def test_it_ignores_a_forged_forwarded_for_header(api, db, settings):
    settings.TIP_RATE_LIMIT = 1
    client = api()
    client.post(API, TIP, format="json", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.1")

    answer = client.post(API, TIP, format="json", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.2")

    assert answer.status_code == 429


def test_it_reads_the_address_from_trusted_proxies(api, db, settings):
    settings.TIP_RATE_LIMIT, settings.TRUSTED_PROXY_COUNT = 1, 1
    client = api()
    client.post(API, TIP, format="json", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    other_reader = client.post(API, TIP, format="json", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    same_reader = client.post(
        API, TIP, format="json", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )

    assert other_reader.status_code == 202
    assert same_reader.status_code == 429


def test_it_counts_an_ipv6_network_as_one_reader(api, db, settings):
    settings.TIP_RATE_LIMIT = 1
    post_api(api, address="2001:db8:1:2::1")

    assert post_api(api, address="2001:db8:1:2::ffff").status_code == 429
    assert post_api(api, address="2001:db8:1:3::1").status_code == 202


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "x" * 2001),
        ("text", "claim " * 180),
        ("url", "https://example.org/" + "a" * 1000),
        ("email", "a" * 250 + "@example.org"),
        ("text", "too short"),
        ("text", "<p></p>  "),
        ("text", "Crime fell\x00 by half last year."),
        ("url", "javascript:alert(1)"),
        ("url", "not a link"),
        ("email", "not-an-email"),
        ("language", "klingon"),
    ],
)
def test_it_answers_400_to_bad_input_through_the_api(api, db, field, value):
    answer = post_api(api, **{field: value})

    assert answer.status_code == 400
    assert field in answer.json()
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("text", "x" * 2001), ("text", "claim " * 180), ("url", "ftp://x.org/"), ("email", "nobody")]
)
def test_it_answers_400_to_bad_input_through_the_form(client, db, field, value):
    answer = post_form(client, **{field: value})

    assert answer.status_code == 400
    assert answer.context["form"].errors[field]
    assert not Claim.objects.exists()


def test_it_answers_400_to_a_body_that_is_not_an_object(api, db):
    assert api().post(API, ["a", "list"], format="json").status_code == 400
