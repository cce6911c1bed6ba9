"""One mapping from domain errors and unreadable input to HTTP answers, shared by every endpoint.

Bad input is always a clear 4xx with a JSON body, never Django's HTML 400 page or a 500: an oversized body is 413,
a body that is not UTF-8 or not JSON is 400.
"""

import io
import json
import re
from itertools import accumulate

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, InvalidInput, http_status


class StrictJSONParser(JSONParser):
    """JSON whose strings are all valid Unicode and whose nesting stays shallow.

    json accepts escapes such as "\\ud800" (half of a surrogate pair) that no database can store; without this check
    such a string passes validation and fails at the INSERT with a 500.

    Parsing and validating recurse once per level of nesting, so a small body of a thousand "[" would end in a
    RecursionError (a 500). No body this API takes nests deeper than a few levels: the depth is counted on the raw
    bytes, before anything recurses, and a body deeper than MAX_DEPTH is refused. The body's size is limited before
    this (DATA_UPLOAD_MAX_MEMORY_SIZE: DRF reads JSON through request.body, which answers 413 past it).
    """

    MAX_DEPTH = 32
    # A JSON string: quotes around anything but a quote or backslash, or an escaped character. In UTF-8 neither byte
    # occurs inside a multi-byte character, so the bytes can be scanned without decoding them.
    _STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
    _NOT_BRACKET = bytes(byte for byte in range(256) if byte not in b"[]{}")
    _STEP = [1 if byte in b"[{" else -1 if byte in b"]}" else 0 for byte in range(256)]

    @classmethod
    def nesting_depth(cls, raw: bytes) -> int:
        """How deep the arrays and objects in `raw` nest (the brackets inside strings do not count)."""
        brackets = cls._STRING.sub(b"", raw).translate(None, cls._NOT_BRACKET)
        # map/accumulate/max run in C: a megabyte of brackets is counted in milliseconds.
        return max(accumulate(map(cls._STEP.__getitem__, brackets)), default=0)

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if self.nesting_depth(raw) > self.MAX_DEPTH:
            raise ParseError(f"JSON parse error - the body nests deeper than {self.MAX_DEPTH} levels.")
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError("JSON parse error - the body contains an unpaired surrogate (\\ud800-\\udfff).") from None
        return data


def _too_large(exc: Exception) -> Response:
    if isinstance(exc, RequestDataTooBig):
        detail = f"The request body is larger than the limit of {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
    else:
        detail = "The request has too many form fields or files."
    return Response({"detail": detail}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)


def exception_handler(exc, context):
    if isinstance(exc, InvalidInput):
        return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc)}, status=http_status(exc))
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ObjectDoesNotExist):
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    # Django raises these while reading the body (request.body, form parsing); left alone they become an HTML 400.
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return _too_large(exc)
    return drf_exception_handler(exc, context)
