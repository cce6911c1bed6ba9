"""What a claim cites: the report and sentence a submitter may name, where its quote stands in the report's text, and
the language a claim taken from a report reads in. Reads for claims.services, which writes (a cited sentence is read
under a lock: the submission's transaction holds it)."""

from claims.ingest.languages import sentence_language
from claims.ingest.models import ReportSentence
from claims.models import Claim, Report
from claims.quotes import locate_quote
from claims.selectors import reports_citable_by
from core.errors import InvalidInput
from core.text import normalise_text


def locate_in_report(
    report: Report | None, quote: str, *, required: bool = False, near: int | None = None
) -> tuple[str, int | None, int | None]:
    """The quote as the report's text has it, and where (claims.quotes: spacing and invisible characters may differ;
    of several occurrences, the one nearest `near`). With `required`, a quote the text does not hold is refused (the
    workspace picks quotes from the text); the API keeps quotes it cannot place, as sent, without offsets."""
    if not report or not quote or not report.body:
        return quote, None, None
    found = locate_quote(report.body, quote, near=near)
    if found is None:
        if required:
            raise InvalidInput(
                {"quote": ["The report's text does not contain these words: copy them exactly as written."]}
            )
        return quote, None, None
    start, end = found
    return report.body[start:end], start, end


def citable_sentence(user, sentence_id: int) -> ReportSentence:
    # The sentence's row is the lock: a second press of "make a claim" waits for the first, then finds its claim.
    citable = ReportSentence.objects.select_for_update().select_related("report")
    sentence = citable.filter(pk=sentence_id, report__in=reports_citable_by(user)).first()
    if sentence is None:
        raise InvalidInput({"sentence": ["No such sentence."]})
    return sentence


def claim_made_from(user, sentence: ReportSentence) -> Claim | None:
    """The submitter's claim taken from this very sentence before, if any."""
    found = Claim.objects.filter(
        submitted_by=user, report_id=sentence.report_id, quote_start=sentence.start, quote_end=sentence.end
    )
    return found.order_by("id").first()


def citable_report(user, report_id: int | None) -> Report | None:
    # A report the caller may not cite is reported as missing, not forbidden, so ids reveal nothing.
    if report_id is None:
        return None
    report = reports_citable_by(user).filter(pk=report_id).first()
    if report is None:
        raise InvalidInput({"report": ["No such report."]})
    return report


def guessed_language(user, text: str, report_id: int | None, sentence_id: int | None) -> str:
    """The language of a claim cited from a report (claims.ingest.languages), read before submit_claim's transaction
    opens: the guess may load the identifier's model and reads the matcher's counts. Unknown ids guess nothing; the
    transaction refuses them."""
    citable = reports_citable_by(user)
    if sentence_id is not None:
        found = ReportSentence.objects.filter(pk=sentence_id, report__in=citable)
        report_language, sentence_text = found.values_list("report__language", "text").first() or (None, "")
    else:
        found = citable.filter(pk=report_id) if report_id is not None else Report.objects.none()
        report_language, sentence_text = found.values_list("language", flat=True).first(), ""
    if report_language is None:
        return ""
    return sentence_language(normalise_text(text or sentence_text), report_language)
