"""Create or update a desk member. The password is a person's: it must pass AUTH_PASSWORD_VALIDATORS, and is best
typed at a prompt (`--password-prompt`) or piped in (`--password-stdin`), so that it never sits in the shell's history
or in the process list as `--password` would."""

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from core.errors import InvalidInput
from core.roles import Role
from reviews.services.members import add_member, can_sign_in


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class Command(BaseCommand):
    help = "Create or update a desk member with a role; reviewers also get a profile (languages, topics, capacity)."
    stealth_options = ("stdin",)  # what --password-stdin reads; call_command may pass another stream

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        given = parser.add_mutually_exclusive_group()
        given.add_argument(
            "--password-prompt", action="store_true", help="Ask for the password (twice), without echoing it."
        )
        given.add_argument(
            "--password-stdin", action="store_true", help="Read the password from the first line of standard input."
        )
        given.add_argument(
            "--password",
            help="Set (or reset) the password. Visible to other users in the process list and kept in "
            "the shell's history: prefer --password-prompt or --password-stdin.",
        )
        parser.add_argument("--email")
        parser.add_argument("--languages", type=_csv, help="Comma-separated language codes, e.g. en,de.")
        parser.add_argument("--topics", type=_csv, help="Comma-separated topic slugs, e.g. politics,economy.")
        parser.add_argument("--capacity", type=int, help="Most active assignments at once (reviewers).")

    def handle(self, *args, **opts):
        if opts["capacity"] is not None and opts["capacity"] < 1:
            raise CommandError("--capacity must be at least 1.")
        password = self._password(opts)
        try:
            user = add_member(
                username=opts["username"],
                role=Role(opts["role"]),
                password=password,
                email=opts["email"],
                languages=opts["languages"],
                topics=opts["topics"],
                capacity=opts["capacity"],
                check_password_rules=True,
            )
        except InvalidInput as exc:
            raise CommandError("; ".join(msg for msgs in exc.errors.values() for msg in msgs)) from None
        article = "an" if opts["role"][:1] in "aeiou" else "a"
        if not can_sign_in(user):
            self.stderr.write(
                self.style.WARNING(
                    f"{user.username} has no password and cannot sign in until one is set: "
                    f"manage.py add_member {user.username} --role {opts['role']} --password-prompt"
                )
            )
        self.stdout.write(self.style.SUCCESS(f"{user.username} is {article} {opts['role']}."))

    def _password(self, opts) -> str | None:
        if opts["password_stdin"]:
            line = (opts.get("stdin") or sys.stdin).readline().rstrip("\r\n")
            if not line:
                raise CommandError("--password-stdin read no password: give it on the first line.")
            return line
        if opts["password_prompt"]:
            first = getpass.getpass("Password: ")
            if not first:
                raise CommandError("No password given.")
            if getpass.getpass("Password (again): ") != first:
                raise CommandError("The two passwords differ: nothing was changed.")
            return first
        if opts["password"] == "":
            raise CommandError("--password is empty: give one, or leave the option out.")
        return opts["password"]
