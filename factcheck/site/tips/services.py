"""Reader tips: anyone may suggest a claim to check; it lands as a `submitted` claim for editors to triage.

Readers are anonymous, so the rules that keep the desk usable live here, shared by the web form and the API: a rate
limit per client address, a honeypot, length limits, control characters dropped, and one claim for a tip sent
twice. Tips are plain text, stored as typed: pages and the admin escape it when they show it.
"""

import hashlib
import ipaddress
import json
import logging
import re
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.http import HttpRequest

from claims.models import Claim, Origin
from claims.transitions import record_creation
from core.errors import InvalidInput
from core.languages import is_known_language
from core.text import normalise_name
from core.throttling import take_slot

logger = logging.getLogger(__name__)

TIP_USERNAME = "reader-tips"
TEXT_MIN, TEXT_MAX = 10, 1000
URL_MAX, EMAIL_MAX = 1000, 254
HONEYPOT_FIELD = "website"
# A reader who sends the same tip again within this time (a double click, a reload, a retry after a timeout) gets the
# same thank-you, and editors one claim.
REPEAT_WINDOW_SECONDS = 600
_FILING = "filing"  # the first of two identical tips is still being filed
# Bidirectional overrides can make text read differently from what it is ("Trojan Source"); readers never need them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """The plain text as typed, with control and bidi-override characters dropped, whitespace collapsed, and
    invisible characters trimmed at both ends (core.text), so a tip of zero-width spaces counts as empty.

    Angle brackets stay: "a<b and c>d" is a claim about numbers, not markup to remove."""
    value = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return normalise_name(_BIDI_CONTROLS.sub("", value))


def _check_length(errors: dict[str, list[str]], name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(name, []).append(f"Keep it under {limit} characters.")


def _validated(text: str, url: str, email: str, language: str) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    # Raw lengths are checked before cleaning, so a wall of control characters cannot slip past the limit by shrinking.
    for name, value, limit in (("text", text, TEXT_MAX * 2), ("url", url, URL_MAX), ("email", email, EMAIL_MAX)):
        _check_length(errors, name, value, limit)
    text, url, email = clean_text(text), url.strip(), email.strip()
    _check_length(errors, "text", text, TEXT_MAX)
    if len(text) < TEXT_MIN and "text" not in errors:
        errors["text"] = [f"Say what the claim is, in at least {TEXT_MIN} characters."]
    if url and "url" not in errors:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = ["Enter a web address starting with http:// or https://."]
    if email and "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Enter a valid email address, or leave it empty."]
    if not is_known_language(language):
        errors["language"] = [f"'{language[:20]}' is not a known language code."]
    if errors:
        raise InvalidInput(errors)
    return text, url, email


def tip_user() -> AbstractBaseUser:
    """The system account reader tips are filed under: created on first use, cannot log in, holds no role."""
    user, created = get_user_model().objects.get_or_create(username=TIP_USERNAME)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class TooManyTips(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(f"Too many tips from this address; try again in {wait} s.")
        self.wait = wait


def submit_reader_tip(*, address: str, text: str, url: str = "", email: str = "", language: str = "en") -> Claim | None:
    """File a reader's suggestion as a `submitted` claim of origin reader_tip; raises InvalidInput on bad input and
    TooManyTips past the address's limit. Only a tip that would be filed counts: a typo costs the reader nothing.

    The same tip from the same address within REPEAT_WINDOW_SECONDS is answered as filed without a second claim;
    returns the claim filed first (None while the first request is still filing it).
    """
    text, url, email = _validated(text, url, email, language)
    count_tip(address)  # a repeat counts too: sending one tip in a loop is still a flood
    key = _repeat_key(address, text, url, email, language)
    if not _reserve(key):
        return _filed_before(key)
    try:
        claim = _file_tip(text=text, url=url, email=email, language=language)
    except BaseException:
        _forget(key)
        raise
    transaction.on_commit(lambda: _remember(key, claim.pk))
    return claim


@transaction.atomic
def _file_tip(*, text: str, url: str, email: str, language: str) -> Claim:
    user = tip_user()
    claim = Claim(
        text=text, language=language, origin=Origin.READER_TIP, tip_url=url, tip_email=email, submitted_by=user
    )
    claim.full_clean()
    claim.save()
    record_creation(claim, actor=user)
    return claim


def _repeat_key(address: str, text: str, url: str, email: str, language: str) -> str:
    # Hashed: the key holds neither the address nor the tip, and JSON keeps the fields apart.
    digest = hashlib.sha256(json.dumps([address, text, url, email, language]).encode()).hexdigest()
    return f"reader-tips:sent:{digest}"


def _reserve(key: str) -> bool:
    """True for the first request with this tip in the window (cache.add is atomic, so of two at once one wins). A
    cache that is down files every tip: a duplicate claim costs an editor less than a lost tip."""
    try:
        return cache.add(key, _FILING, REPEAT_WINDOW_SECONDS)
    except Exception:
        logger.exception("cache unavailable; filing the reader tip without checking for a repeat")
        return True


def _filed_before(key: str) -> Claim | None:
    try:
        earlier = cache.get(key)
    except Exception:
        return None
    return Claim.objects.filter(pk=earlier).first() if isinstance(earlier, int) else None


def _remember(key: str, claim_id: int) -> None:
    try:
        cache.set(key, claim_id, REPEAT_WINDOW_SECONDS)
    except Exception:
        logger.exception("could not note reader tip %s as filed", claim_id)


def _forget(key: str) -> None:
    # The tip was not filed (a database error): the reader's retry must be filed, not answered as a repeat.
    try:
        cache.delete(key)
    except Exception:
        logger.exception("could not clear a reader tip's repeat marker")


def count_tip(address: str) -> None:
    """Count one tip against the address's limit; TooManyTips past it. A bot's post that fills the honeypot is
    counted too, so it cannot tell that it was dropped."""
    wait = take_slot(f"reader-tips:{address}", settings.TIP_RATE_LIMIT, settings.TIP_RATE_WINDOW_SECONDS)
    if wait is not None:
        raise TooManyTips(wait)


def is_honeypot_filled(data: object) -> bool:
    """The hidden field people never see; bots fill every input. Such posts get a thank-you and are dropped."""
    return hasattr(data, "get") and bool(str(data.get(HONEYPOT_FIELD) or "").strip())


def client_address(request: HttpRequest) -> str:
    """The reader's address for rate limiting: REMOTE_ADDR, or the entry our trusted proxies added; IPv6 by /64."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and forwarded:
        # Each trusted proxy appends what it saw; entries further left were written by the client and can be forged.
        address = forwarded[-min(proxies, len(forwarded))]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:100] or "unknown"
    # One IPv6 host usually owns a whole /64; keying on single addresses would let it rotate past the limit.
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
