"""Serializer pieces every app's API uses: strict input bodies and the language choices."""

from rest_framework import serializers

from core.languages import LANGUAGE_CODES, desk_language

LANGUAGE_CHOICES = sorted(LANGUAGE_CODES)
# Sent by Django's HTML forms (the browsable API); never a field of ours.
_FORM_ONLY_KEYS = frozenset({"csrfmiddlewaretoken"})


class StrictInputSerializer(serializers.Serializer):
    """Base of every input serializer: a key that is not a writable field is refused with 400, never ignored.

    DRF drops unknown keys silently, so a misspelt optional field or an attempt to set `status` or `submitted_by`
    would look accepted. The check sits in to_internal_value rather than validate() so subclasses that define
    validate() keep it without calling super(), and nested input serializers (sources) check their own keys.
    """

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in writable and key not in _FORM_ONLY_KEYS)
            if unknown:
                accepted = ", ".join(sorted(writable))
                raise serializers.ValidationError(
                    {key: [f"Unknown field. Accepted fields: {accepted}."] for key in unknown}
                )
        return super().to_internal_value(data)


class LanguageField(serializers.ChoiceField):
    """A language of the desk's table, also as people and programs write it: "zh", "zh-CN" and "ZH_tw" are taken as
    "zh-hans" and "zh-hant", "EN" as "en" (core.languages.desk_language); the schema lists the table's codes."""

    def __init__(self, **kwargs):
        super().__init__(choices=LANGUAGE_CHOICES, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip() and (code := desk_language(data)):
            data = code
        return super().to_internal_value(data)
