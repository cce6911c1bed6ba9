"""A verdict page's claim header and sources, written in Python (site/verdict_markup.py): they must say what the
templates they replaced said, in any script, time zone and language, and escape what the record holds."""

import json
import re
from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from claims.models import Claim, Claimant, Topic
from factcheck.record.models import FactCheckVersion
from factcheck.site.pages.present import SourceLine
from factcheck.site.verdict_markup import claim_header, source_items

# What the templates wrote before (factcheck/_claim.html and the sources of factcheck/_verdict.html), with the
# direction marks people's text needs: dir="auto" on the elements that hold it, <bdi> where it runs inside our words.
AS_THE_TEMPLATE_WROTE_IT = Template(
    """{% load factcheck_tags %}<header class="claim">
  <p class="kicker">Fact-check{% for topic in topics %}{% if forloop.first %} · {% else %}, {% endif %}"""
    """<a href="{% url 'factcheck:topic' topic.slug %}" dir="auto">{{ topic.name }}</a>{% endfor %}</p>
  <h1 lang="{{ claim.language }}" dir="auto">{{ claim.text }}</h1>
  <p class="meta">
    {% if version.claimant_name %}Claimed by {% if claim.claimant %}<a href="{% url 'factcheck:claimant' """
    """claim.claimant.slug %}" dir="auto">{{ version.claimant_name }}</a>{% else %}"""
    """<bdi>{{ version.claimant_name }}</bdi>{% endif %}{% endif %}
    {% if claim.claim_date %} on {% time_tag claim.claim_date %}{% endif %}
    {% if version.report_headline %}
      {% if report_url %} in <a href="{{ report_url }}" rel="nofollow noopener" dir="auto">"""
    """{{ version.report_headline }}</a>{% else %} in “<bdi>{{ version.report_headline }}</bdi>”{% endif %}"""
    """{% if version.report_outlet %} (<bdi>{{ version.report_outlet }}</bdi>){% endif %}"""
    """{% if version.report_published_at %}, published """
    """{% time_tag version.report_published_at date_only=True %}{% endif %}
    {% endif %}
  </p>
  {% if claim.quote %}<blockquote lang="{{ claim.language }}" dir="auto">{{ claim.quote }}</blockquote>{% endif %}
</header>"""
)
SOURCES_AS_THE_TEMPLATE_WROTE_THEM = Template(
    """{% load factcheck_tags %}{% for source in sources %}
      <li>{% if source.url %}<a href="{{ source.url }}" rel="nofollow noopener" dir="auto">{{ source.title }}</a>"""
    """{% else %}<bdi>{{ source.title }}</bdi>{% endif %}{% if source.publisher %}, <bdi>{{ source.publisher }}</bdi>"""
    """{% endif %}"""
    """{% if source.accessed_at %}, accessed {% time_tag source.accessed_at %}{% endif %}{% if source.archive_url %}"""
    """ (<a href="{{ source.archive_url }}" rel="nofollow noopener">archived</a>){% endif %}</li>
    {% endfor %}"""
)


def same_words(html: str) -> str:
    """Markup with each run of white space as one space: what a browser shows is the same."""
    return re.sub(r"\s+", " ", html).strip()


def a_claim(*, claimant: bool, dated: bool, quoted: bool, text: str = "Парламент <b>&</b> 国会", language: str = "ru"):
    claim = Claim(text=text, language=language, quote='«Цитата» <i>"x"</i>' if quoted else "")
    if claimant:
        claim.claimant = Claimant(pk=7, slug="ivan-petrov", name="Иван Петров")
    claim.claim_date = date(2026, 3, 1) if dated else None
    return claim


def a_version(*, named: bool, report: bool, outlet: bool, report_date: bool) -> FactCheckVersion:
    return FactCheckVersion(
        claimant_name="Иван <Петров> & Co" if named else "",
        report_headline='अर्थव्यवस्था "बढ़ी" <script>' if report else "",
        report_outlet="الجزيرة & Co" if outlet else "",
        report_published_at=datetime(2026, 2, 28, 22, 30, tzinfo=UTC) if report_date else None,
    )


TOPICS = [Topic(slug="economy", name="Экономика & <налоги>"), Topic(slug="health-2", name="健康")]


@pytest.mark.parametrize("claimant", [True, False])
@pytest.mark.parametrize("named", [True, False])
@pytest.mark.parametrize("report", [True, False])
@pytest.mark.parametrize("report_url", ["", "https://news.example.test/a?b=1&c=<2>"])
@pytest.mark.parametrize("topics", [TOPICS, TOPICS[:1], []])
def test_the_claim_header_says_what_the_template_said(claimant, named, report, report_url, topics):
    claim = a_claim(claimant=claimant, dated=named, quoted=report)
    version = a_version(named=named, report=report, outlet=claimant, report_date=named)
    context = {"claim": claim, "version": version, "topics": topics, "report_url": report_url}

    written = claim_header(claim=claim, version=version, topics=topics, report_url=report_url)

    assert same_words(written) == same_words(AS_THE_TEMPLATE_WROTE_IT.render(Context(context)))


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/Los_Angeles"])
@pytest.mark.parametrize("language", ["en", "ar", "hi"])
def test_its_dates_are_in_the_sites_zone_and_language(settings, zone, language):
    settings.TIME_ZONE = zone
    claim = a_claim(claimant=True, dated=True, quoted=True, text="النمو تضاعف", language="ar")
    version = a_version(named=True, report=True, outlet=True, report_date=True)
    context = {"claim": claim, "version": version, "topics": TOPICS, "report_url": ""}
    with translation.override(language):
        written = claim_header(claim=claim, version=version, topics=TOPICS, report_url="")
        assert same_words(written) == same_words(AS_THE_TEMPLATE_WROTE_IT.render(Context(context)))


def test_the_claim_header_escapes_the_record():
    claim = a_claim(claimant=True, dated=True, quoted=True)
    version = a_version(named=True, report=True, outlet=True, report_date=True)

    written = claim_header(claim=claim, version=version, topics=TOPICS, report_url="")

    assert "<b>" not in written and "<script>" not in written and "<Петров>" not in written and "<i>" not in written
    assert "Парламент &lt;b&gt;&amp;&lt;/b&gt; 国会" in written
    assert '<a href="/claimants/ivan-petrov/" dir="auto">Иван &lt;Петров&gt; &amp; Co</a>' in written
    assert (
        ' · <a href="/topics/economy/" dir="auto">Экономика &amp; &lt;налоги&gt;</a>,'
        ' <a href="/topics/health-2/" dir="auto">健康</a>'
    ) in written


SOURCES = [
    SourceLine(title="Budget <2026>", url="https://gov.example.test/budget?y=1&z=2", publisher="Минфин & Co",
               accessed_at=date(2026, 11, 6), archive_url="https://archive.example.test/x?a=1&b=2"),
    SourceLine(title="بيان صحفي", url="", publisher="", accessed_at=None, archive_url=""),
    SourceLine(title="प्रेस विज्ञप्ति", url="https://pib.example.test/", publisher="", accessed_at=date(2026, 1, 2),
               archive_url=""),
]  # fmt: skip


@pytest.mark.parametrize("sources", [SOURCES, SOURCES[1:2], []])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_sources_say_what_the_template_said(sources, language):
    with translation.override(language):
        written = source_items(sources)
        as_before = SOURCES_AS_THE_TEMPLATE_WROTE_THEM.render(Context({"sources": sources}))
        assert same_words(written) == same_words(as_before)
    assert written.count("<li>") == len(sources)


def test_the_sources_escape_the_record():
    written = source_items(SOURCES[:1])
    assert "Budget &lt;2026&gt;" in written and "<bdi>Минфин &amp; Co</bdi>" in written
    assert 'href="https://gov.example.test/budget?y=1&amp;z=2"' in written
    assert 'href="https://archive.example.test/x?a=1&amp;b=2"' in written


def test_the_claimreview_script_cannot_be_closed_or_commented_by_the_record():
    from factcheck.templatetags.factcheck_tags import jsonld

    data = {"claimReviewed": "</script><script>alert(1)</script> <!-- & --> «Цитата» 国会", "n": [1, {"x": "<&>"}]}

    written = jsonld(data)
    payload = written.removeprefix('<script type="application/ld+json">').removesuffix("</script>")

    assert not any(character in payload for character in "<>&")
    assert "\\u003C/script\\u003E" in payload and "«Цитата» 国会" in payload
    assert json.loads(payload) == data
