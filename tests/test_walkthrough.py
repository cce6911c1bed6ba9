"""One claim, every step, through the HTTP API with four distinct users and real token auth, to the public page."""

import json
import re
import subprocess
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from reviews.demo import load_demo
from tests.browser import in_a_live_database
from tests.conftest import PASSWORD
from tests.factcheck.page_parsing import scripts_in, the_json_ld

REPORT_URL = "https://news.example.org/budget-speech"
CLAIM_TEXT = "Unemployment has halved since 2020"
CLAIMANT = "Minister Jane Roe"
CLAIM_DATE = "2025-03-14"
SOURCES = [
    {
        "url": "https://stats.example.org/labour-2024",
        "title": "Labour force survey 2024",
        "publisher": "National Statistics Office",
    },
    {
        "url": "https://stats.example.org/labour-2020",
        "title": "Labour force survey 2020",
        "publisher": "National Statistics Office",
    },
]


def logged_in(user) -> APIClient:
    """A client that signs in the way an API consumer does: trade username and password for a token."""
    client = APIClient()
    answer = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert answer.status_code == 200, answer.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    return client


def test_it_walks_one_claim_from_report_to_public_claim_review(
    journalist, editor, reviewer, other_editor, client, django_capture_on_commit_callbacks
):
    jane, eddie, rita, erin = (logged_in(u) for u in (journalist, editor, reviewer, other_editor))
    assert len({journalist.pk, editor.pk, reviewer.pk, other_editor.pk}) == 4

    # Without a token the desk is closed.
    assert APIClient().get("/api/v1/claims/").status_code == 401

    # 1. The journalist submits the report and a claim taken from it.
    answer = jane.post(
        "/api/v1/reports/",
        {
            "url": REPORT_URL,
            "headline": "Budget speech: the minister's numbers",
            "outlet": "Example News",
            "published_at": "2025-03-14T09:30:00Z",
            "language": "en",
            "body": "Unemployment has halved since 2020, the minister said.",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    report_id = answer.json()["id"]

    answer = jane.post(
        "/api/v1/claims/",
        {
            "text": CLAIM_TEXT,
            "report": report_id,
            "quote": "Unemployment has halved since 2020",
            "claimant": CLAIMANT,
            "claim_date": CLAIM_DATE,
            "language": "en",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    claim = answer.json()
    claim_id = claim["id"]
    assert claim["status"] == "submitted"
    assert claim["report"] == report_id
    assert claim["claimant"] == CLAIMANT
    assert claim["submitted_by"] == "jane"

    # 2. An editor accepts it into the queue; routing (run on commit) offers it to the only reviewer.
    with django_capture_on_commit_callbacks(execute=True):
        answer = eddie.post(f"/api/v1/claims/{claim_id}/triage/", {"decision": "accept"}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "queued"

    # 3. The reviewer finds the offer in their own list and accepts it.
    answer = rita.get("/api/v1/assignments/", {"mine": "true"})
    assert answer.status_code == 200
    offers = [a for a in answer.json()["results"] if a["claim"]["id"] == claim_id]
    assert len(offers) == 1
    assert offers[0]["state"] == "offered"
    assert offers[0]["reviewer"] == "rita"
    assert offers[0]["claim"]["status"] == "assigned"
    assert offers[0]["due_at"]

    answer = rita.post(f"/api/v1/assignments/{offers[0]['id']}/accept/", format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "accepted"
    assert answer.json()["claim"]["status"] == "in_review"

    # 4. The reviewer writes the verdict and submits it.
    answer = rita.put(
        f"/api/v1/claims/{claim_id}/review/",
        {
            "rating": "false",
            "summary": "Unemployment fell by a fifth, not by half.",
            "explanation": "The labour force surveys show 6.0% in 2020 and 4.8% in 2024.",
            "sources": SOURCES,
        },
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["rating"] == "false"
    assert [s["url"] for s in answer.json()["sources"]] == [s["url"] for s in SOURCES]

    answer = rita.post(f"/api/v1/claims/{claim_id}/review/submit/", format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "awaiting_approval"

    # 5. A second editor approves and the verdict is published.
    answer = erin.post(f"/api/v1/claims/{claim_id}/approve/", {"note": "Checked the figures."}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["claim"]["status"] == "published"
    slug = answer.json()["fact_check"]["slug"]
    path = f"/fact-checks/{slug}/"
    assert answer.json()["fact_check"]["url"] == settings.SITE_URL + path

    # The claim's history names every transition and who made it (routing is the system: no actor).
    history = eddie.get(f"/api/v1/claims/{claim_id}/").json()["history"]
    assert [(h["from"], h["to"], h["actor"]) for h in history] == [
        ("", "submitted", "jane"),
        ("submitted", "queued", "eddie"),
        ("queued", "assigned", None),
        ("assigned", "in_review", "rita"),
        ("in_review", "awaiting_approval", "rita"),
        ("awaiting_approval", "published", "erin"),
    ]
    assert history[-1]["note"] == "Checked the figures."
    assert all(h["at"] for h in history)

    # 6. Anyone can read it: the list links to it, the page embeds one ClaimReview.
    listing = client.get("/fact-checks/")
    assert listing.status_code == 200
    assert f'href="{path}"' in listing.content.decode()
    assert CLAIM_TEXT in listing.content.decode()

    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert [s["type"] for s in scripts_in(html)] == ["application/ld+json"]
    review = the_json_ld(html)

    today = timezone.now().date().isoformat()
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == CLAIM_TEXT
    assert review["url"] == settings.SITE_URL + path
    assert review["datePublished"] == today
    assert review["inLanguage"] == "en"
    assert review["author"] == {
        "@type": "Organization",
        "name": settings.FACTCHECK_PUBLISHER_NAME,
        "url": settings.SITE_URL + "/",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": CLAIMANT}
    assert item["datePublished"] == CLAIM_DATE
    assert len(item["appearance"]) == 1
    appearance = item["appearance"][0]
    assert appearance["@type"] == "CreativeWork"
    assert appearance["url"] == REPORT_URL
    assert appearance["headline"] == "Budget speech: the minister's numbers"
    assert appearance["datePublished"] == "2025-03-14"
    assert appearance["publisher"] == {"@type": "Organization", "name": "Example News"}
    assert item["firstAppearance"] == appearance

    # 7. The public API (anonymous) tells the same story as the page.
    api = APIClient()
    answer = api.get(f"/api/v1/fact-checks/{slug}/")
    assert answer.status_code == 200
    fact_check = answer.json()
    assert fact_check["slug"] == slug
    assert fact_check["url"] == settings.SITE_URL + path
    assert fact_check["claim"] == CLAIM_TEXT
    assert fact_check["claimant"] == CLAIMANT
    assert fact_check["rating"] == {
        "slug": "false",
        "label": "False",
        "value": 1,
        "best": 5,
        "worst": 1,
        "definition": fact_check["rating"]["definition"],
    }
    assert fact_check["summary"] == "Unemployment fell by a fifth, not by half."
    assert fact_check["explanation"] == "The labour force surveys show 6.0% in 2020 and 4.8% in 2024."
    assert [{k: s[k] for k in ("url", "title", "publisher")} for s in fact_check["sources"]] == SOURCES
    assert all(s["accessed_at"] == today and s["archive_url"] == "" for s in fact_check["sources"])
    assert fact_check["published_at"].startswith(today)
    assert fact_check["version"] == 1
    assert fact_check["corrections"] == []
    assert fact_check["claim_review"] == review

    listed = api.get("/api/v1/fact-checks/").json()["results"]
    assert [f["slug"] for f in listed] == [slug]


# The README's walk-through, pasted into bash against the demo as a newcomer would.

README = Path(__file__).resolve().parents[1] / "README.md"
SAMPLE = "# → "


def readme_walkthrough() -> str:
    text = README.read_text()
    section = text[text.index("## API walk-through") :]
    return section[section.index("```sh\n") + len("```sh\n") : section.index("\n```\n")]


def sample_pattern(sample: str) -> re.Pattern:
    """A `# →` line as a pattern over the compact JSON curl prints: "…" skips anything, whitespace is ignored, and
    ids (and the id ending a slug) may differ from those of a fresh demo."""
    parts = []
    for fragment in sample.split("…"):
        fragment = re.escape("".join(fragment.split()).strip(","))
        fragment = re.sub(r'"(id|claim|report)":\d+', r'"\1":\\d+', fragment)
        fragment = re.sub(r"\\-\d+(?=/|\")", r"-\\d+", fragment)
        parts.append(fragment)
    return re.compile(".*?".join(parts))


@in_a_live_database
def test_the_readme_walkthrough_runs_against_the_demo_as_written(live_server):
    load_demo()
    script = readme_walkthrough()
    assert "API=http://127.0.0.1:8000/api/v1\n" in script
    script = script.replace("API=http://127.0.0.1:8000/api/v1", f"API={live_server.url}/api/v1", 1)

    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)

    assert run.returncode == 0, run.stderr
    answers = [line for line in run.stdout.splitlines() if line.strip()]
    # Every answer ends with its own newline: one JSON document per line, one line per call that prints.
    assert [json.loads(line) is not None for line in answers] == [True] * len(answers)
    assert len(answers) == script.count("; echo")
    # Each `# →` line shows the answer of the last call before it that prints one.
    printed = 0
    for line in script.splitlines():
        if "; echo" in line:
            printed += 1
        elif line.strip().startswith(SAMPLE):
            sample, answer = line.strip()[len(SAMPLE) :], "".join(answers[printed - 1].split())
            assert sample_pattern(sample).search(answer), f"answer {printed} is not as the README shows: {sample}"
    calls = [line for line in script.splitlines() if "; echo" in line]
    listed = json.loads(answers[next(i for i, c in enumerate(calls) if c.startswith("curl -s $API/fact-checks/;"))])
    published = listed["results"][0]
    assert published["claim_review"]["itemReviewed"]["author"] == {"@type": "Organization", "name": "Finance officials"}
