"""Lists page by cursor over a unique key: walking the pages gives every row once, in order, while rows arrive; a deep
page costs the queries the first one costs; and the hot lists' plain-dict answers equal their serializers'."""

import base64
import json
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.fields import DateTimeField
from rest_framework.renderers import JSONRenderer

from claims import services as claim_services
from claims.models import Claim, ClaimStatus, Topic
from core.renderers import OrjsonRenderer, in_current_timezone
from factcheck.record import selectors as record_selectors
from factcheck.record.serializers import FactCheckSerializer, fact_check_answer
from reviews.claim_serializers import CLAIM_COLUMNS, DeskClaimSerializer, desk_claim_answers

CLAIMS = "/api/v1/claims/"
TEXTS = [
    "Инфляция выросла вдвое",
    "ارتفع التضخم مرتين",
    "通货膨胀翻了一番",
    "मुद्रास्फीति दोगुनी हो गई",
    "Inflation doubled",
]


def add_claims(user, n: int, *, same_time: bool = False) -> list[int]:
    made = Claim.objects.bulk_create(
        Claim(text=f"{TEXTS[i % len(TEXTS)]} ({i})", language="en", submitted_by=user) for i in range(n)
    )
    if same_time:  # ties on created_at: only the id tells the rows apart
        Claim.objects.filter(pk__in=[c.pk for c in made]).update(created_at=timezone.now())
    return [c.pk for c in made]


def newest_first(ids) -> list[int]:
    return list(Claim.objects.filter(pk__in=ids).order_by("-created_at", "-id").values_list("pk", flat=True))


def walk(client, url: str, params: dict | None = None, *, between=None) -> list[dict]:
    """Every page from the first by its `next` links; `between()` runs after each page."""
    page = client.get(url, params)
    seen = []
    while True:
        assert page.status_code == 200, page.content[:300]
        body = page.json()
        assert set(body) == {"next", "previous", "results"}
        seen += body["results"]
        if between:
            between()
        if body["next"] is None:
            return seen
        page = client.get(body["next"])


@pytest.mark.parametrize("same_time", [False, True], ids=["distinct times", "tied times"])
def test_walking_the_pages_gives_every_row_once_in_order_while_rows_arrive(api, editor, journalist, same_time):
    ids = add_claims(journalist, 23, same_time=same_time)
    expected = newest_first(ids)

    seen = walk(api(editor), CLAIMS, {"page_size": 5}, between=lambda: add_claims(journalist, 2))

    assert [row["id"] for row in seen] == expected
    assert Claim.objects.count() == 23 + 2 * 5  # rows did arrive, and none of them slipped into the walk


def test_previous_links_walk_back_to_the_first_page(api, editor, journalist):
    expected = newest_first(add_claims(journalist, 12, same_time=True))
    client = api(editor)
    pages = [client.get(CLAIMS, {"page_size": 5}).json()]
    while pages[-1]["next"]:
        pages.append(client.get(pages[-1]["next"]).json())
    back = [client.get(pages[-1]["previous"]).json()]
    while back[-1]["previous"]:
        back.append(client.get(back[-1]["previous"]).json())

    assert [len(p["results"]) for p in pages] == [5, 5, 2]
    assert pages[0]["previous"] is None
    assert [r["id"] for p in reversed(back) for r in p["results"]] == expected[:10]
    assert len(back) == 2


def test_ordering_by_a_column_with_ties_and_nulls_pages_without_losing_rows(api, editor, journalist):
    ids = add_claims(journalist, 14)
    Claim.objects.filter(pk__in=ids[:5]).update(claim_date=date(2026, 3, 1))
    Claim.objects.filter(pk__in=ids[5:9]).update(claim_date=date(2026, 3, 2))

    for ordering in ("claim_date", "-claim_date", "priority"):
        seen = walk(api(editor), CLAIMS, {"page_size": 3, "ordering": ordering})
        assert sorted(row["id"] for row in seen) == sorted(ids), ordering
    dated = [row["claim_date"] for row in walk(api(editor), CLAIMS, {"page_size": 3, "ordering": "-claim_date"})]
    assert dated == ["2026-03-02"] * 4 + ["2026-03-01"] * 5 + [None] * 5


def test_journalists_see_only_their_own_claims_on_every_page(api, journalist, other_journalist):
    mine = add_claims(journalist, 7)
    add_claims(other_journalist, 9)
    mine += add_claims(journalist, 4)

    seen = walk(api(journalist), CLAIMS, {"page_size": 3})

    assert [row["id"] for row in seen] == newest_first(mine)


def test_the_page_size_is_capped_at_100(api, editor, journalist):
    add_claims(journalist, 130)
    client = api(editor)

    assert len(client.get(CLAIMS, {"page_size": 1000}).json()["results"]) == 100
    assert len(client.get(CLAIMS, {"page_size": 7}).json()["results"]) == 7
    assert client.get(CLAIMS, {"page_size": "many"}).status_code == 400  # not the default page in its place
    assert len(client.get(CLAIMS).json()["results"]) == 25


def test_a_made_up_cursor_or_one_of_another_ordering_is_a_404(api, editor, journalist):
    add_claims(journalist, 4)
    client = api(editor)
    next_link = client.get(CLAIMS, {"page_size": 2}).json()["next"]

    assert client.get(CLAIMS, {"cursor": "not-a-cursor"}).status_code == 404
    assert client.get(next_link + "&ordering=priority").status_code == 404
    assert client.get(next_link).status_code == 200


def test_a_forged_time_at_the_edge_of_the_calendar_is_an_invalid_cursor_not_a_crash(api, editor, journalist):
    add_claims(journalist, 4)
    client = api(editor)
    next_link = client.get(CLAIMS, {"page_size": 2}).json()["next"]
    encoded = parse_qs(urlsplit(next_link).query)["cursor"][0]
    cursor = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    times = [i for i, value in enumerate(cursor["p"]) if isinstance(value, str) and value[:4].isdigit()]
    assert times, cursor  # the claims list pages by a time
    for edge in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):
        cursor["p"][times[0]] = edge
        forged = base64.urlsafe_b64encode(json.dumps(cursor).encode()).decode().rstrip("=")

        answer = client.get(CLAIMS, {"cursor": forged})

        assert answer.status_code == 404
        assert answer.json()["detail"].startswith("Invalid cursor")


def queries_of(client, url, params=None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url, params)
    assert answer.status_code == 200, answer.content[:300]
    return len(captured), answer.json()


def first_and_last_page_queries(client, url: str) -> tuple[int, int]:
    first, page = queries_of(client, url, {"page_size": 5})
    last = first
    while page["next"]:
        last, page = queries_of(client, page["next"])
    return first, last


@pytest.mark.parametrize("rows", [10, 60])
@pytest.mark.parametrize(
    ("url", "who"), [(CLAIMS, "editor"), (CLAIMS, "journalist"), (f"{CLAIMS}?status=queued", "editor")]
)
def test_the_last_page_costs_the_queries_of_the_first(request, token_client, journalist, url, who, rows):
    ids = add_claims(journalist, rows)
    Claim.objects.filter(pk__in=ids).update(status=ClaimStatus.QUEUED)
    client = token_client(request.getfixturevalue(who))
    client.get(url)  # caches filled once per process

    first, last = first_and_last_page_queries(client, url)

    assert first == last
    # No COUNT(*): claims, topics, history and verdicts, with the token and roles of the caller.
    assert first <= 6


def test_reports_and_assignments_page_as_cheaply_deep_as_first(token_client, editor, journalist):
    for i in range(12):
        claim_services.submit_report(user=journalist, headline=f"Отчёт {i}", language="ru", body="Текст.")
    client = token_client(editor)
    client.get("/api/v1/reports/")

    first, last = first_and_last_page_queries(client, "/api/v1/reports/")

    assert first == last


# The hot lists' plain-dict answers against the serializers they stand in for


def test_the_claims_list_answers_what_the_serializer_answers(api, editor, claims_of_every_shape):
    ids = list(claims_of_every_shape.values_list("pk", flat=True))
    by_serializer = DeskClaimSerializer(Claim.objects.with_api_relations().order_by("-created_at", "-id"), many=True)
    fast = desk_claim_answers(list(Claim.objects.order_by("-created_at", "-id").values(*CLAIM_COLUMNS)))

    # Field by field as a client reads them: nested history and verdicts, dates and times as text, nulls.
    assert json.loads(OrjsonRenderer().render(fast)) == json.loads(JSONRenderer().render(by_serializer.data))
    assert OrjsonRenderer().render(fast) == JSONRenderer().render(by_serializer.data)  # the same bytes
    listed = api(editor).get(CLAIMS, {"page_size": 100})
    assert listed.content == OrjsonRenderer().render({"next": None, "previous": None, "results": fast})
    assert [row["id"] for row in listed.json()["results"]] == ids
    shapes = {row["text"]: row for row in fast}
    assert shapes["मुद्रास्फीति दोगुनी हो गई"]["claimant"] is None
    assert shapes["ارتفع التضخم مرتين"]["verdict"]["rating"] is None  # retracted: the rating is withdrawn
    assert shapes["The talks went on for over five hours"]["verdict"]["slug"]
    assert sorted(shapes["Инфляция выросла вдвое"]["topics"]) == ["economy", "health", "trade"]


@pytest.mark.parametrize(
    ("query", "reads_verdicts"),
    [
        ("?status=assigned", False),
        ("?status=submitted", False),
        ("?status=rejected", True),
        ("?status=published", True),
        ("", True),
    ],
)
def test_a_page_that_cannot_show_a_verdict_looks_for_none(api, editor, claims_of_every_shape, query, reads_verdicts):
    # Assigned and submitted: no verdict of their own, no duplicate. Rejected: the duplicate that shows a published
    # claim's verdict.
    with CaptureQueriesContext(connection) as captured:
        listed = api(editor).get(f"{CLAIMS}{query}")

    assert listed.status_code == 200 and listed.json()["results"]
    looked = any("factcheck_factcheck" in run["sql"] for run in captured)
    assert looked == reads_verdicts
    shown = [row["verdict"] for row in listed.json()["results"] if row["verdict"]]
    assert bool(shown) == reads_verdicts


def test_the_public_fact_check_list_answers_what_the_serializer_answers(api, claims_of_every_shape):
    fact_checks = list(
        record_selectors.public_fact_checks().prefetch_related("versions", record_selectors.APPEARANCES_PREFETCH)
    )
    by_serializer = FactCheckSerializer(fact_checks, many=True).data
    fast = [fact_check_answer(fact_check) for fact_check in fact_checks]

    assert {row["status"] for row in fast} == {"published", "retracted"}
    assert any(row.get("corrections") for row in fast)
    assert json.loads(OrjsonRenderer().render(fast)) == json.loads(JSONRenderer().render(by_serializer))
    assert OrjsonRenderer().render(fast) == JSONRenderer().render(by_serializer)
    listed = api().get("/api/v1/fact-checks/")
    assert listed.content == OrjsonRenderer().render({"next": None, "previous": None, "results": by_serializer})


def test_the_orjson_renderer_writes_what_drf_writes(claims_of_every_shape):
    from django.utils.translation import gettext_lazy

    data = {
        "at": timezone.now() - timedelta(days=1),
        "times": [
            datetime(2026, 3, 14, 9, 30, tzinfo=UTC),  # whole seconds: no fraction
            datetime(2026, 1, 5, 9, 30, 0, 120000, tzinfo=ZoneInfo("Europe/London")),  # zero offset, not UTC
            datetime(2026, 7, 5, 9, 30, 0, 5, tzinfo=ZoneInfo("Asia/Kolkata")),
            datetime(2026, 7, 5, 9, 30),  # naive
            time(9, 30, 15, 250),
        ],
        "day": date(2026, 3, 14),
        "lazy": gettext_lazy("This field is required."),
        "separators": "a\u2028b\u2029c",
        "big": 2**70,
        "score": 0.1 + 0.2,
        "text": TEXTS,
    }

    assert OrjsonRenderer().render(data) == JSONRenderer().render(data)
    assert OrjsonRenderer().render(None) == b""


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/Sao_Paulo"])
def test_plain_answers_show_times_in_the_zone_the_serializer_shows(zone):
    field = DateTimeField()
    stored = datetime(2026, 3, 14, 23, 45, 1, 999, tzinfo=UTC)

    with timezone.override(ZoneInfo(zone)):
        assert OrjsonRenderer().render([in_current_timezone(stored), in_current_timezone(None)]) == (
            JSONRenderer().render([field.to_representation(stored), field.to_representation(None)])
        )


DESK_LISTS = [
    "/api/v1/reports/",
    "/api/v1/claims/",
    "/api/v1/assignments/",
    "/api/v1/reviewers/",
    "/api/v1/topics/",
    "/api/v1/claimants/",
    "/api/v1/fact-checks/",
]


def test_the_schema_describes_cursor_pages_without_a_count():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for path in DESK_LISTS:
        operation = schema["paths"][path]["get"]
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert {"cursor", "page_size"} <= set(parameters) and "page" not in parameters, path
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        if path == "/api/v1/fact-checks/":  # the page, or the aggregator's search: both documented
            answer = components["FactCheckListOrClaimSearch"]["oneOf"][0]
        page = components[answer["$ref"].rsplit("/", 1)[1]]
        assert set(page["properties"]) == {"next", "previous", "results"}, path
        assert page["properties"]["next"]["nullable"] is True
    claims_page = components["PaginatedDeskClaimList"]
    assert claims_page["properties"]["results"]["items"] == {"$ref": "#/components/schemas/DeskClaim"}
    assert "no count" in claims_page["description"]


@pytest.mark.parametrize(
    "url",
    [
        f"{CLAIMS}?status=submitted&status=queued&topic=economy",
        "/api/v1/assignments/?state=offered&state=accepted&topic=economy",
        "/api/v1/fact-checks/?topic=economy",
        "/api/v1/reviewers/?topic=economy",
    ],
)
def test_filters_that_cannot_match_a_row_twice_ask_for_no_distinct(api, editor, make_claim, url):
    for slug, name in [("economy", "Экономика"), ("trade", "贸易")]:
        Topic.objects.create(slug=slug, name=name)
    claim = make_claim("Инфляция выросла вдвое", topics=["economy", "trade"])

    with CaptureQueriesContext(connection) as queries:
        answer = api(editor).get(url)

    assert answer.status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]
    if url.startswith(CLAIMS):
        assert [row["id"] for row in answer.json()["results"]] == [claim.pk]  # once, though it has two topics
