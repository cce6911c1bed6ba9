"""POST /api/v1/tips/: a reader suggests a claim to check. Anonymous; rate limited per address; answers 202."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi import ErrorSerializer, errors
from core.serializers import LanguageField, StrictInputSerializer
from factcheck.site.tips import services as tips

RECEIVED = {"detail": "Thank you. Our editors read every tip; we cannot answer each one."}


class ReaderTipApi(APIView):
    # No authentication: the endpoint is for anyone, and skipping SessionAuthentication also skips its CSRF check,
    # which protects nothing here (the request carries no credentials to abuse).
    authentication_classes: list = []
    permission_classes = [AllowAny]

    class InputSerializer(StrictInputSerializer):
        # Shape limits only, and no key besides these (400); the service cleans the text and applies the real rules
        # (shared with the web form).
        text = serializers.CharField(max_length=tips.TEXT_MAX * 2, trim_whitespace=True)
        url = serializers.CharField(max_length=tips.URL_MAX, required=False, allow_blank=True, default="")
        email = serializers.CharField(max_length=tips.EMAIL_MAX, required=False, allow_blank=True, default="")
        language = LanguageField(required=False, default="en")
        website = serializers.CharField(
            required=False, allow_blank=True, default="", help_text="Leave empty (a trap for bots)."
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            202: inline_serializer("TipReceived", {"detail": serializers.CharField()}),
            **errors(400),
            429: OpenApiResponse(ErrorSerializer, description="Too many tips from this address; see Retry-After."),
        },
        parameters=[
            OpenApiParameter(
                "Retry-After",
                int,
                OpenApiParameter.HEADER,
                response=[429],
                description="Seconds until this address may send tips again.",
            )
        ],
    )
    def post(self, request: Request) -> Response:
        address = tips.client_address(request._request)
        try:
            # The honeypot is checked before validation: a bot learns nothing from error messages either.
            if tips.is_honeypot_filled(request.data):
                tips.count_tip(address)
                return Response(RECEIVED, status=status.HTTP_202_ACCEPTED)
            data = self.InputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            fields = dict(data.validated_data)
            fields.pop("website")
            tips.submit_reader_tip(address=address, **fields)
        except tips.TooManyTips as refused:
            raise Throttled(wait=refused.wait) from None  # the exception handler answers 429 with Retry-After
        # No claim id: tips are not readable by the public, and an id would let anyone count them.
        return Response(RECEIVED, status=status.HTTP_202_ACCEPTED)
