"""A token request reads the member and their desk roles in one query, and a role granted or withdrawn counts from
the next request on."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from core.authentication import DeskTokenAuthentication
from core.roles import Role, grant_role, roles_of

pytestmark = pytest.mark.django_db


def _key(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def test_the_member_and_all_their_roles_come_in_one_query(editor, django_assert_num_queries):
    grant_role(editor, Role.REVIEWER)
    key = _key(editor)

    with django_assert_num_queries(1):
        user, _ = DeskTokenAuthentication().authenticate_credentials(key)
        assert roles_of(user) == {Role.EDITOR, Role.REVIEWER}


def test_a_member_without_a_desk_role_holds_none(django_user_model):
    key = _key(django_user_model.objects.create_user("nobody", password="x"))

    user, _ = DeskTokenAuthentication().authenticate_credentials(key)

    assert roles_of(user) == frozenset()


def test_a_withdrawn_role_no_longer_counts_on_the_next_request(token_client, editor):
    client = token_client(editor)
    assert client.get("/api/v1/claims/?status=queued").status_code == 200
    assert client.post("/api/v1/webhooks/", {}, format="json").status_code == 400  # an editor's endpoint

    editor.groups.remove(Group.objects.get(name=Role.EDITOR.group_name))

    assert client.post("/api/v1/webhooks/", {}, format="json").status_code == 403


def test_an_unknown_key_or_an_inactive_member_is_refused(token_client, editor):
    editor.is_active = False
    editor.save(update_fields=["is_active"])

    assert token_client(editor).get("/api/v1/claims/").status_code == 401
    bad = token_client()
    bad.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert bad.get("/api/v1/claims/").status_code == 401
