"""Read a public page the way a crawler does: find its script elements and parse the embedded JSON-LD."""

import json
from html.parser import HTMLParser


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._current = {"type": dict(attrs).get("type"), "text": ""}
            self.scripts.append(self._current)

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._current = None


def scripts_in(html: str) -> list[dict]:
    """Every <script> element of the page as {"type", "text"}, in document order."""
    parser = _Scripts()
    parser.feed(html)
    parser.close()
    return parser.scripts


def json_ld_blocks(html: str) -> list[str]:
    return [s["text"] for s in scripts_in(html) if s["type"] == "application/ld+json"]


def the_json_ld(html: str) -> dict:
    """The page's one JSON-LD object; fails if the page has none or several."""
    blocks = json_ld_blocks(html)
    assert len(blocks) == 1, f"expected exactly one JSON-LD script, found {len(blocks)}"
    return json.loads(blocks[0])
