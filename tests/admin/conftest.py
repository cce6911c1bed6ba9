import pytest


@pytest.fixture
def as_editor(client, editor):
    """The test client, signed in as an editor."""
    client.force_login(editor)
    return client
