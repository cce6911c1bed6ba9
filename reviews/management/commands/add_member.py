from django.core.management.base import BaseCommand, CommandError

from core.errors import InvalidInput
from core.roles import Role
from reviews.services.members import add_member


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class Command(BaseCommand):
    help = "Create or update a desk member with a role; reviewers also get a profile (languages, topics, capacity)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--password", help="Set (or reset) the password.")
        parser.add_argument("--email")
        parser.add_argument("--languages", type=_csv, help="Comma-separated language codes, e.g. en,de.")
        parser.add_argument("--topics", type=_csv, help="Comma-separated topic slugs, e.g. politics,economy.")
        parser.add_argument("--capacity", type=int, help="Most active assignments at once (reviewers).")

    def handle(self, *args, **opts):
        if opts["capacity"] is not None and opts["capacity"] < 1:
            raise CommandError("--capacity must be at least 1.")
        try:
            user = add_member(
                username=opts["username"],
                role=Role(opts["role"]),
                password=opts["password"],
                email=opts["email"],
                languages=opts["languages"],
                topics=opts["topics"],
                capacity=opts["capacity"],
            )
        except InvalidInput as exc:
            raise CommandError("; ".join(msg for msgs in exc.errors.values() for msg in msgs)) from None
        article = "an" if opts["role"][:1] in "aeiou" else "a"
        self.stdout.write(self.style.SUCCESS(f"{user.username} is {article} {opts['role']}."))
