"""Sources as the API reads them: each through the reviewers' one rule (verdicts.SourceInput), a refusal answered
under the source's own fields, as the serializer answers a malformed one."""

from rest_framework.exceptions import ValidationError

from core.errors import InvalidInput
from reviews.services.verdicts import SourceInput


def _source_fields(refused: InvalidInput) -> dict[str, list[str]]:
    # The service names a source's fields "sources.url" (the workspace form reads them so).
    return {key.removeprefix("sources."): messages for key, messages in refused.errors.items()}


def source_input(given: dict) -> SourceInput:
    """One source, or a 400 that names its fields: {"url": [...]}."""
    try:
        return SourceInput(**given)
    except InvalidInput as refused:
        raise ValidationError(_source_fields(refused)) from None


def source_inputs(given: list[dict]) -> list[SourceInput]:
    """Every source of a list, or a 400 shaped as the serializer's: {"sources": {"1": {"url": [...]}}}."""
    sources, errors = [], {}
    for index, source in enumerate(given):
        try:
            sources.append(source_input(source))
        except ValidationError as refused:
            errors[index] = refused.detail
    if errors:
        raise ValidationError({"sources": errors})
    return sources
