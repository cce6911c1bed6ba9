"""What the claims tests share: a published verdict to match against."""

import pytest

CHECKED = "The talks lasted more than five hours"


@pytest.fixture
def published(make_claim, desk):
    """A claim whose verdict is published: the one new claims and reports are matched against."""
    claim = make_claim(CHECKED)
    desk.published(claim)
    claim.refresh_from_db()
    return claim
