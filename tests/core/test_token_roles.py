"""A token request reads the caller, their token and their desk roles in one query, and refuses what DRF's token
authentication refuses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.authentication import TokenWithRolesAuthentication
from core.roles import Role, grant_role, roles_of

# An authenticated read that needs the caller's roles: what they may see, and the rate limit picks the role's rate.
ME = "/api/v1/claims/"


def _key(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def _authenticate(user) -> tuple:
    return TokenWithRolesAuthentication().authenticate_credentials(_key(user))


def test_the_caller_and_all_their_roles_come_from_one_query(reviewer):
    grant_role(reviewer, Role.EDITOR)
    key = _key(reviewer)

    with CaptureQueriesContext(connection) as captured:
        user, token = TokenWithRolesAuthentication().authenticate_credentials(key)
        roles = roles_of(user)

    assert len(captured) == 1
    assert user == reviewer and token.key == key
    assert token.created == Token.objects.get(user=reviewer).created
    assert roles == {Role.REVIEWER, Role.EDITOR}


def test_a_member_without_a_desk_role_has_none(django_user_model):
    user, _ = _authenticate(django_user_model.objects.create_user("nobody", password="x" * 12))

    assert roles_of(user) == frozenset()


@pytest.mark.parametrize("header", ["Token 0123456789abcdef0123456789abcdef01234567", "Token ", "Token a b"])
def test_an_unknown_or_malformed_token_is_a_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    assert client.get(ME).status_code == 401


def test_a_deactivated_members_token_is_a_401_and_a_deleted_one_too(journalist):
    client = APIClient()
    token = Token.objects.create(user=journalist)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(ME).status_code == 200

    journalist.is_active = False
    journalist.save(update_fields=["is_active"])
    refused = client.get(ME)
    assert refused.status_code == 401
    assert "inactive" in refused.json()["detail"].lower()

    journalist.is_active = True
    journalist.save(update_fields=["is_active"])
    token.delete()
    assert client.get(ME).status_code == 401


def test_a_token_request_counts_one_query_fewer_than_reading_roles_apart(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")

    with CaptureQueriesContext(connection) as captured:
        assert client.get(ME).status_code == 200

    tables = [query["sql"] for query in captured if "auth_group" in query["sql"]]
    assert len(tables) == 1 and "authtoken_token" in tables[0]
