"""Filter values of the public list that its counted choices (site/choices.py) do not offer but that name something
real: a topic no published verdict has (yet), a rating of another scale, any language we know.

The choices offer only what the published fact-checks use, and they lag publications. A reader who filters by such a
value is answered with the verdicts that match, none if none do, rather than with every verdict under a notice that
the filter was not understood. A value that names nothing is still ignored, and said so.
"""

from claims.models import Topic
from core.languages import is_known_language, language_name
from factcheck.record.models import Rating

# The selects whose options are counted from the published fact-checks.
COUNTED_FIELDS = ("rating", "topic", "language")


def unlisted_label(field: str, value: str) -> str | None:
    """The label to offer `value` under in the select named `field`, or None when the value names nothing.

    At most one query, and only for a value the choices lack: the common requests use the offered ones.
    """
    if field == "language":
        return language_name(value) if is_known_language(value) else None
    if field == "topic":
        # No count beside the name: the choices may lag a verdict just published on it.
        return Topic.objects.filter(slug=value).values_list("name", flat=True).first()
    if field == "rating":
        # A slug may recur on several scales: the default scale's label first, as the filter's own choices show it.
        ratings = Rating.objects.filter(slug=value).order_by("-scale__is_default", "scale_id", "position")
        return ratings.values_list("label", flat=True).first()
    return None
