"""JSON answers rendered by orjson for the lists that carry the most rows.

The bytes mean what DRF's JSONRenderer would write: compact UTF-8, dates and times as DRF writes them (UTC as "Z";
`in_current_timezone` gives a stored time the zone DRF's DateTimeField would), every other non-JSON type through
DRF's own encoder, U+2028/U+2029 escaped. Pretty-printing (the browsable API's `indent`) and whatever orjson refuses
(integers past 64 bits, for one) go to DRF's renderer.
"""

from datetime import datetime

import orjson
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_DRF_DEFAULT = JSONEncoder().default
# orjson writes dates and times as DRF's encoder does (isoformat), given "Z" for a zero offset, in C: a page's hundred
# timestamps cost a millisecond through DRF's field and encoder.
_OPTIONS = orjson.OPT_UTC_Z
_SEPARATORS = ("\u2028".encode(), "\u2029".encode())


class OrjsonRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            rendered = orjson.dumps(data, default=_DRF_DEFAULT, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF does: JSON that is also a strict JavaScript subset.
        for separator in _SEPARATORS:
            if separator in rendered:
                rendered = rendered.replace(separator, separator.decode().encode("unicode_escape"))
        return rendered


def in_current_timezone(value: datetime | None) -> datetime | None:
    """A stored time in the zone DRF's DateTimeField shows it in, for plain-dict answers this renderer writes."""
    return None if value is None else value.astimezone(timezone.get_current_timezone())
