"""Language codes a claim, report or reviewer may use: the ones Django itself knows (ISO 639-1 and a few regional)."""

from django.conf.locale import LANG_INFO

LANGUAGE_CODES: frozenset[str] = frozenset(code for code, info in LANG_INFO.items() if "name" in info)


def is_known_language(code: str) -> bool:
    return code in LANGUAGE_CODES


def language_name(code: str) -> str:
    return LANG_INFO.get(code, {}).get("name", code)
