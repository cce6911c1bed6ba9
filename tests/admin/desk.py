"""What the desk's tests share: the claims' admin addresses and the messages an action leaves."""

CLAIMS = "/admin/claims/claim/"


def action(name: str) -> str:
    """The confirmation page of a desk action on claims."""
    return f"{CLAIMS}actions/{name}/"


def messages_of(response) -> list[tuple[str, str]]:
    """The messages the page after the action's redirect showed (and so consumed), as (level, HTML)."""
    assert response.redirect_chain, "the action did not redirect"
    return [(m.level_tag, str(m)) for m in response.context["messages"]]
