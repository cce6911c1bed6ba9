"""python manage.py import_claimreview URL_OR_FILE [URL_OR_FILE ...]: store other publishers' ClaimReviews."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from factcheck.integrations.external import ImportOutcome, import_file, import_source, is_url


class Command(BaseCommand):
    help = (
        "Read ClaimReview markup (JSON-LD or microdata) from pages or saved HTML files and store each review as an "
        "external fact-check, updating it when its URL was imported before. Problems are reported, not fatal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sources", nargs="+", metavar="URL_OR_FILE")
        parser.add_argument(
            "--page-url",
            default="",
            help="For files: the URL the page was saved from (resolves relative links, stands in for a missing url).",
        )

    def handle(self, *args, sources: list[str], page_url: str, **options) -> None:
        failed = 0
        for source in sources:
            if page_url and not is_url(source):
                outcome = import_file(source, page_url=page_url)
            else:
                outcome = import_source(source)
            self._report(outcome)
            failed += not outcome.ok
        if failed:
            # A clean exit code tells scripts whether every source gave at least one review.
            raise CommandError(f"{failed} of {len(sources)} source(s) gave no ClaimReview.")

    def _report(self, outcome: ImportOutcome) -> None:
        style = self.style.SUCCESS if outcome.ok else self.style.ERROR
        self.stdout.write(style(f"{outcome.source}: {len(outcome.created)} created, {len(outcome.updated)} updated"))
        for problem in outcome.problems:
            self.stdout.write(self.style.WARNING(f"  problem: {problem}"))
        for row in outcome.stored:
            verdict = row.rating_label or "no rating"
            self.stdout.write(f"  {row.url} — {verdict}: {row.claim_reviewed[:80]}")
            for problem in row.problems:
                self.stdout.write(self.style.WARNING(f"    problem: {problem}"))
