"""JSON answers rendered by orjson for the lists that carry the most rows.

The bytes mean what DRF's JSONRenderer would write: compact UTF-8, dates and times and every non-JSON type through
DRF's own encoder, U+2028/U+2029 escaped. Pretty-printing (the browsable API's `indent`) and whatever orjson refuses
(integers past 64 bits, for one) go to DRF's renderer.
"""

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_DRF_DEFAULT = JSONEncoder().default
# Dates and times go to DRF's encoder too: it writes UTC as "Z", orjson as "+00:00".
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME
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
