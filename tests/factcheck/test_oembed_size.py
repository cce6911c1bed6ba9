"""oEmbed's maxwidth and maxheight (https://oembed.com, section 2.2): the size we answer, and the iframe's, never
exceed the consumer's limits; a limit that is not a positive whole number answers 400, as a missing url does."""

import json
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest


class _Iframes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.iframes: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.iframes.append(dict(attrs))


def the_iframe(html: str) -> dict:
    parser = _Iframes()
    parser.feed(html)
    [iframe] = parser.iframes
    return iframe


def oembed(client, **params):
    return client.get("/oembed/?" + urlencode({k: v for k, v in params.items() if v is not None}))


@pytest.mark.parametrize(
    "maxwidth, maxheight, size",
    [
        (None, None, (500, 320)),
        ("300", "9999", (300, 320)),
        ("150", "100", (150, 100)),  # below the card's usual size: still within the limit
        ("1", "1", (1, 1)),
        (" 250 ", "", (250, 320)),  # spaces around a number, and an empty limit as none
        ("0007", None, (7, 320)),
        ("9" * 5000, "320", (500, 320)),  # a limit past any screen is no limit
    ],
)
def test_the_size_never_exceeds_the_consumers_limits(client, make_claim, publish, maxwidth, maxheight, size):
    fact_check = publish(make_claim())

    answer = oembed(client, url=fact_check.public_url, maxwidth=maxwidth, maxheight=maxheight)

    assert answer.status_code == 200
    data = json.loads(answer.content)
    iframe = the_iframe(data["html"])
    assert (data["width"], data["height"]) == size
    assert (int(iframe["width"]), int(iframe["height"])) == size


@pytest.mark.parametrize("limit", ["abc", "0", "000", "-5", "300px", "12.5", "1e3", "٣٠٠", "+300"])
@pytest.mark.parametrize("name", ["maxwidth", "maxheight"])
def test_a_limit_that_is_not_a_positive_whole_number_answers_400(client, make_claim, publish, name, limit):
    fact_check = publish(make_claim())

    answer = oembed(client, url=fact_check.public_url, **{name: limit})

    assert answer.status_code == 400
    assert "maxwidth and maxheight" in json.loads(answer.content)["detail"]
