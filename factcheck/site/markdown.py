"""A reviewer's explanation, written in Markdown, turned into HTML that is safe to put on a public page.

Two layers: Python-Markdown runs with raw HTML switched off, so `<script>` typed into an explanation is shown as
text, as the reviewer wrote it; then nh3 keeps only a small set of tags and attributes from Markdown's output, so
links with other schemes (`javascript:`, `data:`), images, styles and event handlers never reach the page.
"""

import threading

import markdown as python_markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
}
# Each block takes its direction from its own first letters: an Arabic paragraph after an English one runs right to
# left, where one dir="auto" on the whole explanation would set every paragraph by the first.
DIRECTED = {"p", "li", "blockquote", "h3", "h4", "h5", "h6"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, **{tag: {"dir"} for tag in DIRECTED}}
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
LINK_REL = "nofollow noopener"
# The page's own outline uses h1 (the claim) and h2 (its sections): headings in an explanation start at h3.
HEADING_SHIFT = 2


class _FitThePage(Treeprocessor):
    """Headings move down below the page's own; blocks say dir="auto"; an image becomes its alt text (the page shows
    no images)."""

    def run(self, root):
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(int(element.tag[1]) + HEADING_SHIFT, 6)}"
            if element.tag in DIRECTED:
                element.set("dir", "auto")
            elif element.tag == "img":
                alt = element.get("alt", "")
                element.attrib.clear()
                element.tag, element.text = "span", alt


def _only_safe_urls(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href" and not value.strip().lower().startswith(ALLOWED_SCHEMES):
        return None
    if attribute == "dir" and value != "auto":
        return None
    return value


def _new_converter() -> python_markdown.Markdown:
    converter = python_markdown.Markdown(extensions=["fenced_code", "sane_lists"], output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    converter.treeprocessors.register(_FitThePage(converter), "fit_the_page", 0)
    return converter


# Building a converter cost half of a conversion. Python-Markdown instances are not thread-safe, so each thread keeps
# its own and resets it between texts, as Python-Markdown provides for.
_converters = threading.local()
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_only_safe_urls,
    url_schemes={"http", "https", "mailto"},
    url_relative="deny",
    link_rel=LINK_REL,
)


def render_markdown(text: str) -> SafeString:
    """Markdown → sanitized HTML."""
    converter = getattr(_converters, "converter", None)
    if converter is None:
        converter = _converters.converter = _new_converter()
    try:
        html = converter.convert(text)
    finally:
        converter.reset()
    return mark_safe(_CLEANER.clean(html))  # nh3 has just reduced it to the allowed tags and attributes
