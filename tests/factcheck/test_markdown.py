"""Explanations in Markdown (site/markdown.py): each thread reuses one converter, so nothing one explanation defines
may reach the next, in the same thread or another."""

import threading

from factcheck.site.markdown import render_markdown

DEFINES_A_REFERENCE = "See [the budget][b].\n\n[b]: https://stats.example.org/budget"
USES_THE_REFERENCE = "See [the budget][b]."


def test_it_renders_the_explanation_as_safe_html():
    html = render_markdown("# Findings\n\n**Bold** and [a source](https://stats.example.org/t) <script>x()</script>")
    assert html.startswith('<h3 dir="auto">Findings</h3>')
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://stats.example.org/t" rel="nofollow noopener">a source</a>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_nothing_an_explanation_defines_reaches_the_next():
    assert '<a href="https://stats.example.org/budget"' in render_markdown(DEFINES_A_REFERENCE)
    assert render_markdown(USES_THE_REFERENCE) == '<p dir="auto">See [the budget][b].</p>'


def test_each_thread_converts_on_its_own():
    texts = [f"Пункт {n}: **{'Ø' * n}** [link](https://stats.example.org/{n})" for n in range(1, 9)]
    expected = [render_markdown(text) for text in texts]
    found: dict[int, list[str]] = {}

    def convert(n: int) -> None:
        found[n] = [render_markdown(text) for text in texts * 20]

    threads = [threading.Thread(target=convert, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(rendered == expected * 20 for rendered in found.values())
