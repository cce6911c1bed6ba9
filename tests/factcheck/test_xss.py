"""Hostile text in every field a reader sees, rendered in Chromium: no script may run, no active markup may appear.

The pages are read with the browser's CSP switched off, so escaping and sanitizing must hold on their own; a
separate test shows the CSP would stop an inline script that got through anyway.
"""

import json
from urllib.parse import quote

from factcheck.record import services as publishing
from reviews.services import verdicts
from tests.browser import in_a_live_database, needs_chromium
from tests.factcheck.test_browser import json_ld_in

# Each payload, if it ever ran, would set window.__xss or open a dialog.
VECTORS = [
    "<script>window.__xss=1</script>",
    "<SCRIPT>window.__xss=1</SCRIPT>",
    '<img src=x onerror="window.__xss=1">',
    "<img src=x onerror=window.__xss=1//",
    '<svg onload="window.__xss=1">',
    "<svg><script>window.__xss=1</script></svg>",
    '<svg><a xlink:href="javascript:window.__xss=1"><text x="20" y="20">x</text></a></svg>',
    '<body onload="window.__xss=1">',
    '<iframe src="javascript:parent.__xss=1"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<a href="javascript:window.__xss=1">click</a>',
    '<a href="&#106;avascript:window.__xss=1">click</a>',
    '"><script>window.__xss=1</script>',
    "'><img src=x onerror=window.__xss=1>",
    "</title><script>window.__xss=1</script>",
    "</textarea><script>window.__xss=1</script>",
    "</script><script>window.__xss=1</script>",
    "<!--<script>window.__xss=1</script>-->",
    "--><script>window.__xss=1</script><!--",
    '<input autofocus onfocus="window.__xss=1">',
    '<details open ontoggle="window.__xss=1">',
    '<video><source onerror="window.__xss=1"></video>',
    '<object data="javascript:window.__xss=1"></object>',
    '<embed src="javascript:window.__xss=1">',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    '<base href="javascript:window.__xss=1//">',
    "<style>@import 'javascript:window.__xss=1';</style>",
    '<div style="background:url(javascript:window.__xss=1)">x</div>',
    '<form action="javascript:window.__xss=1"><button>go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<<script>window.__xss=1//<</script>",
    '<img src="x" onerror="&#119;indow.__xss=1">',
    "\u2028\u2029</script><script>window.__xss=1</script>",
    "<x onclick=window.__xss=1>click</x>",
    '<marquee onstart="window.__xss=1">x</marquee>',
    # Markdown's own ways to make links and images (they matter in the explanation)
    "[click](javascript:window.__xss=1)",
    "[click](JaVaScRiPt:window.__xss=1)",
    "[click]( javascript:window.__xss=1 )",
    "[click][ref]\n\n[ref]: javascript:window.__xss=1",
    "<javascript:window.__xss=1>",
    '![x](x" onerror="window.__xss=1)',
    "[data](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==)",
    "[![x](x.png)](javascript:window.__xss=1)",
]

# Everything the page shows must be inert: no handler attributes, no script (but JSON-LD), no URL that is not
# http(s), mailto, relative or our empty favicon, no embedded documents, styles or images.
FIND_ACTIVE_MARKUP = """() => {
  const found = [];
  if (window.__xss !== undefined) found.push("window.__xss was set");
  const urlAttributes = ["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "poster"];
  const safeUrl = /^(https?:|mailto:|[/?#]|data:,$)/i;
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${el.tagName} has ${name}`);
      if (name === "style") found.push(`${el.tagName} has a style attribute`);
      if (urlAttributes.includes(name) && !safeUrl.test(attr.value.trim()))
        found.push(`${el.tagName} ${name}=${attr.value}`);
    }
  }
  const active = 'script:not([type="application/ld+json"]), iframe, frame, object, embed, svg, math, img, video, '
    + 'audio, source, style, base, meta[http-equiv], noscript, template, marquee, details, '
    + 'input:not(form.filters input)';
  for (const el of document.querySelectorAll(active)) found.push(`element ${el.tagName}`);
  return found;
}"""


def publish_hostile(make_claim, publish, n: int, vector: str):
    return publish(
        make_claim(f"Claim {n}: {vector}", claimant=f"Claimant {n} {vector}", quote=vector),
        summary=f"Summary {n}: {vector}",
        explanation=f"Explanation {n}.\n\n{vector}\n\nInline: {vector} (end)",
        sources=[verdicts.SourceInput(url=f"https://example.org/source/{n}", title=vector, publisher=vector[:200])],
    )


def visit_and_inspect(urls: list[str]):
    def script(page):
        found = {}
        for url in urls:
            # A handler that would fire only after load (autofocus, toggle) is caught by its attribute.
            assert page.goto(url).status == 200, url
            if problems := page.evaluate(FIND_ACTIVE_MARKUP):
                found[url] = problems
        return found, page.problems

    return script


@needs_chromium
@in_a_live_database
def test_it_runs_no_script_from_claims_claimants_explanations_or_sources(
    chromium, live_server, make_claim, publish, editor
):
    assert len(set(VECTORS)) == len(VECTORS) >= 30
    fact_checks = [publish_hostile(make_claim, publish, n, vector) for n, vector in enumerate(VECTORS)]
    for fact_check, vector in zip(fact_checks, VECTORS, strict=True):
        publishing.correct(claim_id=fact_check.claim_id, editor=editor, note=f"Corrected: {vector}", summary="Fixed.")
    site = live_server.url
    urls = [site + fc.get_absolute_url() for fc in fact_checks]
    urls += [f"{site}/claimants/{fc.claim.claimant.slug}/" for fc in fact_checks]
    urls += [f"{site}/fact-checks/?page={n}" for n in (1, 2, 3)]
    urls += [f"{site}/fact-checks/?q={quote(vector)}&claimant={quote(vector)}" for vector in VECTORS]
    urls += [f"{site}/corrections/"]

    found, problems = chromium.run(visit_and_inspect(urls), bypass_csp=True)

    assert found == {}
    assert problems == []


@needs_chromium
@in_a_live_database
def test_it_keeps_hostile_text_readable_and_intact_in_the_json_ld(chromium, live_server, make_claim, publish):
    vector = "</script><script>window.__xss=1</script> & <b>bold</b>"
    fact_check = publish_hostile(make_claim, publish, 0, vector)

    def read(page):
        page.goto(live_server.url + fact_check.get_absolute_url())
        return page.locator("h1").text_content(), page.locator("ol.sources li a").first.text_content(), json_ld_in(page)

    heading, source_title, (review,) = chromium.run(read, bypass_csp=True)

    assert heading == f"Claim 0: {vector}"
    assert source_title == vector
    assert review["claimReviewed"] == f"Claim 0: {vector}"
    assert review["itemReviewed"]["author"]["name"] == f"Claimant 0 {vector}"


@needs_chromium
@in_a_live_database
def test_it_would_notice_a_payload_that_runs(chromium, live_server, make_claim, publish):
    """The detector itself: served with the escaping undone and the CSP off, a payload runs and is reported."""
    fact_check = publish(make_claim())
    url = live_server.url + fact_check.get_absolute_url()

    def with_escaping_undone(page):
        def inject(route):
            body = route.fetch().text().replace("<h1", '<img src=x onerror="window.__xss=1"><h1', 1)
            route.fulfill(status=200, body=body, headers={"content-type": "text/html; charset=utf-8"})

        page.route(url, inject)
        return visit_and_inspect([url])(page)

    found, _ = chromium.run(with_escaping_undone, bypass_csp=True)

    assert "window.__xss was set" in found[url]
    assert "IMG has onerror" in found[url]


@needs_chromium
@in_a_live_database
def test_it_blocks_an_injected_inline_script_with_its_csp(chromium, live_server, make_claim, publish):
    """The second line: even markup that slipped through escaping could not run a script under our CSP."""
    fact_check = publish(make_claim())
    url = live_server.url + fact_check.get_absolute_url()

    def with_an_injected_script(page):
        def inject(route):
            response = route.fetch()
            body = response.text().replace(
                "</h1>", '</h1><script>window.__xss=1</script><img src=x onerror="window.__xss=2">', 1
            )
            route.fulfill(response=response, body=body)

        page.route(url, inject)
        page.goto(url)
        page.wait_for_timeout(50)
        return page.evaluate("window.__xss"), page.problems

    ran, problems = chromium.run(with_an_injected_script)

    assert ran is None
    assert any("Content Security Policy" in p for p in problems)


def test_it_accepts_only_http_urls_for_sources(api, make_claim, desk):
    claim = make_claim()
    assignment = desk.in_review(claim)
    reviewer = api(assignment.reviewer)
    url = f"/api/v1/claims/{claim.pk}/review/"

    def review_with(source: dict):
        return reviewer.put(
            url, {"rating": "false", "summary": "S.", "explanation": "E.", "sources": [source]}, format="json"
        )

    for bad in [
        "javascript:window.__xss=1",
        "JavaScript:alert(1)",
        "data:text/html,<script>x</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "//evil.example.org/x",
        "https://",
        "not a url",
    ]:
        answer = review_with({"url": bad, "title": "Source"})
        assert answer.status_code == 400, bad
        assert "sources" in answer.json(), bad
        archived = review_with({"url": "https://example.org/a", "title": "Source", "archive_url": bad})
        assert archived.status_code == 400, bad

    good = review_with({"url": "https://example.org/a", "title": "Source", "archive_url": "http://archive.example/a"})
    assert good.status_code == 200, good.content
    assert [s["url"] for s in good.json()["sources"]] == ["https://example.org/a"]


def test_it_accepts_only_http_urls_in_corrected_sources(api, make_claim, publish, editor):
    fact_check = publish(make_claim())
    url = f"/api/v1/claims/{fact_check.claim_id}/corrections/"

    answer = api(editor).post(
        url, {"note": "New source.", "sources": [{"url": "javascript:window.__xss=1", "title": "Bad"}]}, format="json"
    )

    assert answer.status_code == 400
    assert "sources" in json.loads(answer.content)
    assert api().get(f"/api/v1/fact-checks/{fact_check.slug}/").json()["version"] == 1
