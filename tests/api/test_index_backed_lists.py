"""The lists readers and the desk page through are backed by indexes: on PostgreSQL, with sequential scans and sorts
priced out of reach, the plan of every query a list runs reads claims and fact-checks through an index in the list's
order, with no sort of either table. Pricing sorts out too keeps the answer to "is there an index for this order?"
from depending on what earlier tests left in the tables: after a test that wrote and rolled back a thousand claims,
the planner, seeing the grown table, sorted the claims a status index found rather than walk the list's index. At a
million rows a sequential scan and a sort of the whole table is what made these lists take seconds.

Run on PostgreSQL only (the planner answers for the database the service runs on); `make bench` measures the time.
"""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.services import submit_report
from factcheck.record import services as publishing
from factcheck.record.models import FactCheckVersion
from factcheck.record.selectors import badge_colours

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")

TABLES = {"claims_claim", "claims_report", "factcheck_factcheck"}


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def tables_under(plan: dict) -> set[str]:
    return {node["Relation Name"] for node in nodes(plan) if "Relation Name" in node}


def plan_problems(sql: str, tables: set[str] = TABLES) -> list[str]:
    """What in the plan of `sql` reads `tables` (claims and fact-checks) without an index, or sorts them."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (explained,) = cursor.fetchone()
    plan = (json.loads(explained) if isinstance(explained, str) else explained)[0]["Plan"]
    found = []
    for node in nodes(plan):
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in tables:
            found.append(f"sequential scan of {node['Relation Name']}")
        if node["Node Type"] in ("Sort", "Incremental Sort") and tables_under(node) & tables:
            found.append(f"sort of {sorted(tables_under(node) & tables)} by {node.get('Sort Key')}")
    return found


def problems_of(client, url: str) -> dict[str, list[str]]:
    cache.clear()  # the public list caches each page it builds: plan the page's queries, not the cache's answer
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200, answer.content[:300]
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    # Prefetches read the rows of the page's own ids (`… IN (1, 2, …)`): bounded by the page, whatever their plan.
    page_queries = [sql for sql in selects if not re.search(r'"(\w+_)?id" IN \(', sql)]
    reading_the_tables = [sql for sql in page_queries if any(f'"{table}"' in sql for table in TABLES)]
    assert reading_the_tables, f"{url} read none of {sorted(TABLES)}"
    return {sql[:200]: problems for sql in reading_the_tables if (problems := plan_problems(sql))}


@pytest.fixture
def desk_with_fact_checks(make_claim, desk):
    for n in range(3):
        desk.published(make_claim(f"Published claim {n}"))
    for n in range(3):
        desk.queue(make_claim(f"Queued claim {n}"))


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/api/v1/fact-checks/"),
        ("editor", "/api/v1/claims/"),
        ("editor", "/api/v1/claims/?status=queued"),
        ("journalist", "/api/v1/claims/"),
        ("editor", "/api/v1/reports/"),
        (None, "/feeds/fact-checks.atom"),
        # Not yet: /fact-checks/ (its filter choices are counted on every cold render) and the ClaimReview feed.
    ],
)
def test_each_list_reads_its_page_through_an_index(api, request, desk_with_fact_checks, who, url):
    client = api(request.getfixturevalue(who) if who else None)

    assert problems_of(client, url) == {}


def plan_nodes(sql: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (explained,) = cursor.fetchone()
    return list(nodes((json.loads(explained) if isinstance(explained, str) else explained)[0]["Plan"]))


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/api/v1/fact-checks/?page_size=1"),
        ("editor", "/api/v1/claims/?page_size=2"),
        ("editor", "/api/v1/claims/?page_size=1&status=published"),
        ("journalist", "/api/v1/claims/?page_size=2"),
        ("editor", "/api/v1/reports/?page_size=1"),
    ],
)
def test_a_deep_page_by_cursor_seeks_through_the_index_and_counts_nothing(
    api, request, desk_with_fact_checks, journalist, who, url
):
    for n in range(3):
        submit_report(user=journalist, headline=f"Отчёт {n}", language="ru", body="Текст.")
    client = api(request.getfixturevalue(who) if who else None)
    deep = client.get(client.get(url).json()["next"]).json()["next"]
    assert "cursor=" in deep

    assert problems_of(client, deep) == {}
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(deep)
    assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # The cursor's position is where the index scan starts (an index condition), not a filter applied to every row
    # from the newest on: that would make page n cost n pages.
    page_sql = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT") and " LIMIT " in q["sql"].upper()
    ]
    assert page_sql, deep
    for sql in page_sql:
        scans = [n for n in plan_nodes(sql) if n.get("Relation Name") in TABLES and "Index" in n["Node Type"]]
        assert scans and any("_at" in n.get("Index Cond", "") for n in scans), (sql[:300], scans)


def test_the_ratings_sheet_finds_each_frozen_colour_through_the_index(desk_with_fact_checks):
    # Every page links the sheet by a digest of these colours: a scan of every version (0.3-0.6 s at a million
    # claims) would run after each publication.
    with CaptureQueriesContext(connection) as queries:
        colours = badge_colours()

    frozen = set(FactCheckVersion.objects.values_list("rating_colour", flat=True))
    assert frozen and frozen <= set(colours)
    on_versions = [q["sql"] for q in queries.captured_queries if "factcheck_factcheckversion" in q["sql"]]
    assert len(on_versions) == len(frozen) + 1  # one lookup per colour, and one that finds none after the last
    assert {sql[:120]: p for sql in on_versions if (p := plan_problems(sql, {"factcheck_factcheckversion"}))} == {}


CORRECTIONS_OR_RETRACTIONS = r'"number" > 1|"retracted_at" IS NOT NULL|MAX\("factcheck_factcheck"\."retracted_at"\)'


def test_the_corrections_log_and_the_sitemap_index_read_corrections_and_retractions_through_their_indexes(
    client, make_claim, desk, editor, other_editor, django_capture_on_commit_callbacks
):
    claims = [make_claim(f"Published claim {n}") for n in range(4)]
    for claim in claims:
        desk.published(claim)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.correct(claim_id=claims[0].pk, editor=other_editor, note="Added the minutes.", summary="Shorter.")
        publishing.correct(claim_id=claims[1].pk, editor=other_editor, note="Исправлено.", summary="Короче.")
        publishing.retract(claim_id=claims[2].pk, editor=editor, reason="The source was forged.")
    partial_indexes = {"version_correction_idx", "factcheck_retracted_idx"}

    for url in ("/corrections/", "/sitemap.xml"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url)
        assert answer.status_code == 200
        # Each runs once per publication, on the first request for the page: at a million claims reading every
        # version and fact-check for the few corrected and retracted ones took 50-340 ms; their indexes, 1-7 ms.
        reading = [q["sql"] for q in queries.captured_queries if re.search(CORRECTIONS_OR_RETRACTIONS, q["sql"])]
        assert reading, url
        for sql in reading:
            plan = plan_nodes(sql)
            assert not [n for n in plan if n["Node Type"] == "Seq Scan"], (url, sql[:300])
            assert not [n for n in plan if "Join" in n["Node Type"] or n["Node Type"] == "Nested Loop"], sql[:300]
            assert {n.get("Index Name") for n in plan} & partial_indexes, (url, sql[:300])
    assert "The source was forged." in client.get("/corrections/").content.decode()
