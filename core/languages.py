"""Language codes a claim, report or reviewer may use: the ones Django itself knows (ISO 639-1 and a few regional)."""

from django.conf.locale import LANG_INFO

LANGUAGE_CODES: frozenset[str] = frozenset(code for code, info in LANG_INFO.items() if "name" in info)


def is_known_language(code: str) -> bool:
    return code in LANGUAGE_CODES


def language_name(code: str) -> str:
    return LANG_INFO.get(code, {}).get("name", code)


def language_code(tag: str) -> str:
    """The desk's code for a BCP 47 tag or locale: the language alone ("en-GB" is "en"), with its script where the
    desk tells scripts apart ("sr-Latn" is "sr-latn"; Chinese is always "zh-hans" or "zh-hant")."""
    parts = tag.split(",")[0].strip().lower().replace("_", "-").split("-")
    if parts[0] == "zh":
        traditional = any(part in ("hant", "tw", "hk", "mo") for part in parts[1:])
        return "zh-hant" if traditional else "zh-hans"
    scripts = [f"{parts[0]}-{part}" for part in parts[1:] if len(part) == 4]
    for code in (*scripts, parts[0]):
        if code in LANGUAGE_CODES:
            return code
    return ""


def desk_language(tag: str) -> str:
    """The desk's code for a language tag as people and programs write it: a code of the table as it is ("en-gb",
    "EN"), else its language ("zh" and "zh-CN" are "zh-hans", "zh-TW" is "zh-hant", "pt-PT" is "pt"); "" when the
    desk does not know it."""
    code = tag.strip().lower().replace("_", "-")
    return code if code in LANGUAGE_CODES else language_code(code)
