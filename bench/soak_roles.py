"""The soak's people: readers, journalists, editors and reviewers, each a thread that calls the service over loopback
at a modest pace and counts every answer per role and endpoint (bench/soak.py starts them).

Every call names the status its flow expects. Anything else is an error (a 5xx, a failed connection, an answer the
flow did not expect) unless TOLERATED names it, with why it is no fault of the service. A turn that finds an answer
it cannot use (a field missing, a replay that is not one) counts one error under "flow" and the thread goes on.
"""

from __future__ import annotations

import http.client
import itertools
import json
import random
import secrets
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import quote

from benchkit import percentile

API = "/api/v1"


class Tolerance(NamedTuple):
    endpoint: str
    status: int
    says: str  # the answer's body must contain this
    why: str


TOLERATED = (
    # An offer lapses between the list and the accept: the API lists it as offered until the sweep expires it.
    Tolerance("POST assignments/{id}/accept/", 409, "expired", "an offer past its accept-by time; never tried again"),
    Tolerance("PATCH claims/{id}/", 409, "can no longer be edited", "the journalist's edit lost to the triage"),
    Tolerance("POST claims/{id}/triage/", 409, "cannot become", "the second request of a double click"),
    Tolerance("POST claims/{id}/approve/", 409, "cannot be approved", "the other editor approved or returned it"),
    Tolerance("POST claims/{id}/return/", 409, "cannot become in_review", "the other editor approved or returned it"),
)


class Language(NamedTuple):
    code: str
    stop: str  # what ends a sentence
    claimant: str
    sentences: tuple[str, ...]  # "{n}" becomes a number unique to the soak


# Five scripts, in languages the generated data does not use (bench/soak.py gives them reviewers of their own).
LANGUAGES = (
    Language("es", ". ", "Lucía Fernández", (
        "El presupuesto de los hospitales creció un {n} por ciento en dos años",
        "El ministro dijo que el paro bajó a {n} mil personas",
        "La ciudad gastó {n} millones de euros en el nuevo puente")),
    Language("uk", ". ", "Олена Коваленко", (
        "Бюджет лікарень зріс на {n} відсотків за два роки",
        "Міністр заявив, що безробіття впало до {n} тисяч людей",
        "Місто витратило {n} мільйонів гривень на новий міст")),
    Language("fa", ". ", "مریم احمدی", (
        "بودجه درمان کشور در دو سال {n} درصد افزایش یافت",
        "وزیر گفت بیکاری به {n} هزار نفر رسید",
        "شهر {n} میلیون تومان برای پل جدید هزینه کرد")),
    Language("zh-hant", "。", "陳志明", (
        "醫院預算在兩年內增加了百分之{n}", "部長說失業人數降至{n}千人", "市政府在新橋上花了{n}百萬元")),
    Language("mr", ". ", "सुनीता पाटील", (
        "रुग्णालयांचे बजेट दोन वर्षांत {n} टक्क्यांनी वाढले",
        "मंत्र्यांनी सांगितले की बेरोजगारी {n} हजारांवर आली",
        "शहराने नवीन पुलावर {n} कोटी रुपये खर्च केले")),
)  # fmt: skip
SOAK_CODES = [language.code for language in LANGUAGES]
READER_WORDS = ("budget", "бюджет", "الميزانية", "预算", "बजट", "presupuesto", "бюджет лікарень", "預算")
_numbers = itertools.count(1000)  # next() is atomic under the GIL: every soak text is unique


def sentence(language: Language, rng: random.Random) -> str:
    return rng.choice(language.sentences).format(n=next(_numbers))


# --- counting -------------------------------------------------------------------------------------------------------


@dataclass
class Line:
    statuses: Counter = field(default_factory=Counter)
    tolerated: int = 0
    errors: int = 0
    ms: list[float] = field(default_factory=list)


class Tally:
    """Every answer, per (role, endpoint), with samples of the errors and of the tolerated answers."""

    SAMPLES = 25

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.lines: dict[tuple[str, str], Line] = {}
        self.samples: dict[str, list[str]] = {"error": [], "tolerated": []}
        self._sampled: set[tuple[str, int]] = set()

    def add(self, role: str, endpoint: str, status: int, ms: float, verdict: str, detail: str) -> None:
        with self._lock:
            line = self.lines.setdefault((role, endpoint), Line())
            line.statuses[status] += 1
            line.ms.append(ms)
            line.errors += verdict == "error"
            line.tolerated += verdict == "tolerated"
            # Every error up to SAMPLES; the first tolerated answer of each endpoint.
            first = (endpoint, status) not in self._sampled
            if (verdict == "error" or (verdict == "tolerated" and first)) and len(self.samples[verdict]) < self.SAMPLES:
                self.samples[verdict].append(f"{role} {endpoint}: {status} {detail}")
                self._sampled.add((endpoint, status))

    def print_table(self, seconds: float) -> None:
        """A row per role and endpoint, then one per role; rates over `seconds`."""
        head = ("role", "endpoint", "requests", "per s", "p50 ms", "p95 ms", "tolerated", "errors", "statuses")
        rows = []
        for (role, endpoint), line in sorted(self.lines.items()):
            count, codes = sum(line.statuses.values()), sorted(line.statuses.items())
            rows.append((role, endpoint, f"{count:,}", f"{count / seconds:.2f}", f"{percentile(line.ms, 50):.0f}",
                         f"{percentile(line.ms, 95):.0f}", str(line.tolerated), str(line.errors),
                         " ".join(f"{code}:{n}" for code, n in codes)))  # fmt: skip
        for role in sorted({key[0] for key in self.lines}):
            count, tolerated, errors = self.totals(role)
            rows.append(
                (role, "(all)", f"{count:,}", f"{count / seconds:.2f}", "", "", str(tolerated), str(errors), "")
            )
        widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
        print()
        for row in [head, tuple("-" * w for w in widths), *rows]:
            cells = zip(row, widths, strict=True)
            print("  ".join(c.rjust(w) if 2 <= i <= 7 else c.ljust(w) for i, (c, w) in enumerate(cells)).rstrip())

    def totals(self, role: str = "") -> tuple[int, int, int]:
        """(requests, tolerated, errors) so far, of one role or of all."""
        with self._lock:
            lines = [line for key, line in self.lines.items() if role in ("", key[0])]
        return (sum(sum(x.statuses.values()) for x in lines), sum(x.tolerated for x in lines),
                sum(x.errors for x in lines))  # fmt: skip


def judge(endpoint: str, status: int, expect: Sequence[int], body: str) -> tuple[str, str]:
    """("ok" | "tolerated" | "error", why it is tolerated)."""
    if status in expect:
        return "ok", ""
    found = [t.why for t in TOLERATED if t.endpoint == endpoint and t.status == status and t.says in body]
    return ("tolerated", f"({found[0]}) ") if found else ("error", "")


class Answer(NamedTuple):
    status: int
    data: Any  # the JSON, when the status was the one expected
    replayed: bool  # Idempotent-Replayed: true


class Client:
    """One person's calls: a fresh loopback connection per request, so a connection failure is the server's and
    never a keep-alive socket the server had closed."""

    def __init__(self, port: int, role: str, tally: Tally, headers: dict[str, str] | None = None) -> None:
        self.port, self.role, self.tally, self.headers = port, role, tally, headers or {}

    def call(self, endpoint: str, method: str, path: str, body: Any = None, expect: Sequence[int] = (200,),
             key: str = "") -> Answer:  # fmt: skip
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        headers = {**self.headers, **({"Content-Type": "application/json"} if data else {})}
        headers |= {"Idempotency-Key": key} if key else {}
        started, kind, replayed = time.perf_counter(), "", False
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=data, headers=headers)
            answer = conn.getresponse()
            status, raw, kind = answer.status, answer.read(), answer.getheader("Content-Type") or ""
            replayed = answer.getheader("Idempotent-Replayed") == "true"
        except (OSError, http.client.HTTPException) as exc:
            status, raw = 0, f"connection failed: {type(exc).__name__}: {exc}".encode()
        finally:
            conn.close()
        text = raw.decode("utf-8", "replace")
        (verdict, why), ms = judge(endpoint, status, expect, text), (time.perf_counter() - started) * 1000
        self.tally.add(self.role, endpoint, status, ms, verdict, f"{why}{method} {path}: {text[:300]!r}")
        parsed = json.loads(raw) if verdict == "ok" and kind.startswith("application/json") and raw else None
        return Answer(status, parsed, replayed)

    def flow_error(self, detail: str) -> None:
        self.tally.add(self.role, "flow", -1, 0.0, "error", detail)


# --- the roles ------------------------------------------------------------------------------------------------------


@dataclass
class Shared:
    """The stop signal, when the soak's claims began, the default scale's ratings and the verdicts readers visit
    (approvals add the new ones)."""

    started_iso: str
    ratings: list[str]
    slugs: list[str]
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    new_slugs: list[str] = field(default_factory=list)

    def add_slug(self, slug: str) -> None:
        with self.lock:
            self.new_slugs.append(slug)

    def verdict_slug(self, rng: random.Random) -> str:
        with self.lock:
            fresh = self.new_slugs[-50:]
        return rng.choice(fresh) if fresh and rng.random() < 0.5 else rng.choice(self.slugs)


class Role:
    """A thread that takes a turn every `pace` seconds (± half) until the soak stops, acting for its clients in
    turn."""

    def __init__(self, clients: list[Client], shared: Shared, pace: float, seed: int) -> None:
        self.clients, self.shared, self.pace, self.rng = clients, shared, pace, random.Random(seed)
        self.client, self.turns, self.seen = clients[0], 0, set[int]()
        self.thread = threading.Thread(target=self._run, name=self.client.role, daemon=True)

    def turn(self, client: Client) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self.shared.stop.is_set():
            self.turns += 1
            try:
                self.turn(self.clients[self.turns % len(self.clients)])
            except (KeyError, TypeError, IndexError, ValueError):
                self.client.flow_error(traceback.format_exc(limit=2).strip().splitlines()[-1])
            self.shared.stop.wait(self.pace * self.rng.uniform(0.5, 1.5))


class Reader(Role):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.pages: list[tuple[float, str, Callable[[], str]]] = [
            (20, "GET /fact-checks/", lambda: "/fact-checks/"),
            (20, "GET /fact-checks/?q=", lambda: f"/fact-checks/?q={quote(self.rng.choice(READER_WORDS))}"),
            (30, "GET /fact-checks/{slug}/", lambda: f"/fact-checks/{self.shared.verdict_slug(self.rng)}/"),
            (15, "GET api fact-checks/", lambda: f"{API}/fact-checks/"),
            (7, "GET /sitemap.xml", lambda: "/sitemap.xml"),
            (8, "GET /feeds/fact-checks.atom", lambda: "/feeds/fact-checks.atom"),
        ]

    def turn(self, client: Client) -> None:
        _, endpoint, path = self.rng.choices(self.pages, weights=[p[0] for p in self.pages])[0]
        client.call(endpoint, "GET", path())


class Journalist(Role):
    """Claims typed in five scripts, one in four sent twice with an Idempotency-Key (a retry after a lost answer),
    one in three edited a moment later; every fourth turn a pasted report whose best sentence becomes a claim."""

    def turn(self, client: Client) -> None:
        language = LANGUAGES[self.turns % len(LANGUAGES)]
        if self.turns % 4 == 1:
            self.report(client, language)
        else:
            self.claim(client, language)
        if self.turns % 6 == 0:
            client.call("GET claims/ (own)", "GET", f"{API}/claims/?page_size=10")

    def claim(self, client: Client, language: Language) -> None:
        body = {"text": sentence(language, self.rng), "claimant": language.claimant, "language": language.code}
        key = secrets.token_hex(8) if self.rng.random() < 0.25 else ""
        first = client.call("POST claims/", "POST", f"{API}/claims/", body, expect=(201,), key=key)
        if key and first.data:
            again = client.call("POST claims/ (retried)", "POST", f"{API}/claims/", body, expect=(201,), key=key)
            if again.data and (again.data["id"] != first.data["id"] or not again.replayed):
                client.flow_error(f"a retry with Idempotency-Key {key} made claim {again.data['id']}")
        if first.data and self.rng.random() < 0.33:
            self.shared.stop.wait(self.rng.uniform(0, 2))
            path, edit = f"{API}/claims/{first.data['id']}/", {"text": sentence(language, self.rng)}
            client.call("PATCH claims/{id}/", "PATCH", path, edit)

    def report(self, client: Client, language: Language) -> None:
        text = language.stop.join(sentence(language, self.rng) for _ in range(3)) + language.stop.strip()
        body = {"language": language.code, "body": text}
        report = client.call("POST reports/ (pasted text)", "POST", f"{API}/reports/", body, expect=(201,)).data
        if report:
            path = f"{API}/reports/{report['id']}/candidates/?limit=3"
            candidates = client.call("GET reports/{id}/candidates/", "GET", path).data
            if candidates:
                body = {"sentence": candidates[0]["id"], "claimant": language.claimant}
                client.call("POST claims/ (from a sentence)", "POST", f"{API}/claims/", body, expect=(201,))


class TriageEditor(Role):
    """Accepts nine in ten of the claims submitted since the soak began (the worker then routes them) and rejects
    the rest; one decision in eight is a double click, of which exactly one request may succeed. Now and then it
    reads the desk's figures."""

    def turn(self, client: Client) -> None:
        path = f"{API}/claims/?status=submitted&created_after={quote(self.shared.started_iso)}&page_size=10"
        for claim in (client.call("GET claims/?status=submitted", "GET", path).data or {}).get("results", []):
            body = {"decision": "accept", "priority": self.rng.choice(("normal", "normal", "high"))}
            if self.rng.random() < 0.1:
                body = {"decision": "reject", "reason": "An opinion, not a checkable claim."}
            self.decide(client, claim["id"], body, clicks=2 if self.rng.random() < 0.125 else 1)
        if self.turns % 10 == 0:
            client.call("GET desk/stats/", "GET", f"{API}/desk/stats/")

    def decide(self, client: Client, claim_id: int, body: dict[str, str], clicks: int) -> None:
        path, answers = f"{API}/claims/{claim_id}/triage/", list[int]()

        def click() -> None:
            answers.append(client.call("POST claims/{id}/triage/", "POST", path, body).status)

        threads = [threading.Thread(target=click) for _ in range(clicks)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if clicks > 1 and set(answers) <= {200, 409} and answers.count(200) != 1:
            client.flow_error(f"a double click on the triage of claim {claim_id} answered {answers}")


class ApprovingEditor(Role):
    """Approves reviews awaiting approval, newest first, and returns one in ten with comments (once per claim);
    two of them work the same list, so they race."""

    def turn(self, client: Client) -> None:
        path = f"{API}/claims/?status=awaiting_approval&ordering=-status_changed_at&page_size=4"
        for claim in (client.call("GET claims/?status=awaiting_approval", "GET", path).data or {}).get("results", []):
            claim_id = claim["id"]
            if claim_id not in self.seen and self.rng.random() < 0.1:
                self.seen.add(claim_id)
                body = {"note": "Add a second, primary source."}
                client.call("POST claims/{id}/return/", "POST", f"{API}/claims/{claim_id}/return/", body)
                continue
            path = f"{API}/claims/{claim_id}/approve/"
            answer = client.call("POST claims/{id}/approve/", "POST", path, {"note": "Checked."}).data
            if answer:
                self.shared.add_slug(answer["fact_check"]["slug"])


class Reviewer(Role):
    """Acts for several reviewers in turn: accepts their offers that are not overdue, then reviews one claim in
    review (a rating of the default scale, a summary, a Markdown explanation and a source) and submits it."""

    def turn(self, client: Client) -> None:
        path = f"{API}/assignments/?mine=true&state=offered&overdue=false&page_size=5"
        for offer in (client.call("GET assignments/?state=offered", "GET", path).data or {}).get("results", []):
            if offer["id"] not in self.seen:  # seen: offers that answered 409, expired
                path = f"{API}/assignments/{offer['id']}/accept/"
                if client.call("POST assignments/{id}/accept/", "POST", path).status == 409:
                    self.seen.add(offer["id"])
        path = f"{API}/assignments/?mine=true&state=accepted&page_size=25"
        accepted = client.call("GET assignments/?state=accepted", "GET", path).data or {}
        work = [a["claim"] for a in accepted.get("results", []) if a["claim"]["status"] == "in_review"]
        if work:
            self.review(client, work[0]["id"])

    def review(self, client: Client, claim_id: int) -> None:
        n = next(_numbers)
        body = {
            "rating": self.rng.choice(self.shared.ratings),
            "summary": f"The figure does not match the published budget ({n}).",
            "explanation": "The **2026 budget** lists a different figure; see the source below.",
            "sources": [{"url": f"https://stats.example.org/budget/{n}", "title": "Budget 2026",
                         "publisher": "Statistics Office"}],
        }  # fmt: skip
        if client.call("PUT claims/{id}/review/", "PUT", f"{API}/claims/{claim_id}/review/", body).status == 200:
            client.call("POST claims/{id}/review/submit/", "POST", f"{API}/claims/{claim_id}/review/submit/")
