"""Reader tips are plain text stored as typed, a tip sent twice is one claim, and the API refuses keys it does not
take."""

import pytest
from django.core.cache import cache

from claims.models import Claim
from factcheck.site.tips import services as tips

API = "/api/v1/tips/"
FORM = "/tips/"
ARABIC = "قال الوزير إن البطالة انخفضت إلى النصف هذا العام."


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # rate limits and repeat markers outlive a test's database transaction
    yield
    cache.clear()


def post_api(api, body: dict, address: str = "203.0.113.9"):
    return api().post(API, body, format="json", REMOTE_ADDR=address)


def post_form(client, fields: dict, address: str = "203.0.113.9"):
    return client.post(FORM, fields, REMOTE_ADDR=address)


@pytest.mark.parametrize(
    "text",
    [
        "The ratio a<b and c>d holds for <em>all</em> cases",
        "Imports<exports and exports>imports held all year.",
        "He wrote <script>alert(1)</script> & said 3 > 2.",
    ],
)
def test_it_stores_the_text_as_typed(api, db, text):
    assert post_api(api, {"text": text}).status_code == 202

    assert Claim.objects.get().text == text


def test_it_still_drops_control_and_bidi_override_characters(api, db):
    assert post_api(api, {"text": "  Crime\x1b fell\x07 by\u202e half <b>last</b>  year.\t"}).status_code == 202

    assert Claim.objects.get().text == "Crime fell by half <b>last</b> year."


def test_the_form_files_a_tip_sent_twice_once(client, db):
    tip = {"text": ARABIC, "language": "other", "other_language": "ar"}  # not yet a language of the site

    answers = [post_form(client, tip), post_form(client, tip)]

    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"] == "/tips/?sent=1"
    assert list(Claim.objects.values_list("text", "language")) == [(ARABIC, "ar")]


def test_the_api_files_a_tip_sent_twice_once(api, db):
    tip = {"text": ARABIC, "language": "ar", "url": "https://social.example.com/post/1"}

    answers = [post_api(api, tip), post_api(api, {**tip, "text": f"  {ARABIC} "})]

    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json() == answers[1].json()
    assert Claim.objects.count() == 1


def test_a_repeat_is_a_new_tip_from_another_reader_or_with_other_words(api, db):
    tip = {"text": ARABIC, "language": "ar"}
    post_api(api, tip)

    post_api(api, tip, address="198.51.100.7")
    post_api(api, {**tip, "text": ARABIC + " مرتين"})
    post_api(api, {**tip, "url": "https://social.example.com/post/2"})

    assert Claim.objects.count() == 4


def test_a_tip_sent_again_after_the_window_is_filed_again(api, db):
    tip = {"text": ARABIC, "language": "ar"}
    post_api(api, tip)
    cache.delete(tips._repeat_key("203.0.113.9", ARABIC, "", "", "ar"))  # what the window's end does

    post_api(api, tip)

    assert Claim.objects.count() == 2


def test_a_tip_that_failed_to_file_is_filed_when_sent_again(api, db, monkeypatch):
    real = tips._file_tip

    def failing(**fields):
        raise RuntimeError("database went away")

    monkeypatch.setattr(tips, "_file_tip", failing)
    with pytest.raises(RuntimeError):
        tips.submit_reader_tip(address="203.0.113.9", text=ARABIC, language="ar")
    monkeypatch.setattr(tips, "_file_tip", real)

    assert post_api(api, {"text": ARABIC, "language": "ar"}).status_code == 202
    assert Claim.objects.count() == 1


@pytest.mark.parametrize("extra", [{"extra": "x"}, {"status": "published"}, {"submitted_by": 1}])
def test_the_api_refuses_keys_it_does_not_take(api, db, extra):
    answer = post_api(api, {"text": "The mayor said crime fell by half last year.", **extra})

    assert answer.status_code == 400
    assert list(answer.json()) == list(extra)
    assert not Claim.objects.exists()
