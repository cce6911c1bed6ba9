from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reviews.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load demo accounts and a report with claims at several steps, one published (safe to run twice)."

    def handle(self, *args, **opts):
        if settings.IS_PRODUCTION:
            raise CommandError("load_demo refuses to run with production settings: its accounts have known passwords.")
        users, created = load_demo()
        self.stdout.write("Demo content loaded." if created else "Demo content was already there; nothing added.")
        self.stdout.write(f"Accounts (password '{DEMO_PASSWORD}'): " + ", ".join(users))
        site = settings.SITE_URL
        self.stdout.write(f"Public fact-checks: {site}/fact-checks/   Admin: {site}/admin/ (log in as editor)")
        self.stdout.write(f"API: {site}/api/v1/   Docs: {site}/api/v1/docs/")
