"""The public list pages back only through its newest fact-checks: a deeper page would skip every newer row."""

from datetime import UTC, datetime, timedelta

from factcheck.site.pages import listing


def test_it_pages_back_only_to_its_depth_and_says_how_to_see_older_ones(client, make_claim, publish, monkeypatch):
    for n in range(5):
        publish(make_claim(f"Claim number {n}", claimant=f"Claimant {n}"))
    monkeypatch.setattr(listing, "LIST_DEPTH", 2)

    assert client.get("/fact-checks/", {"page": 2}).status_code == 404  # no page past the depth
    html = client.get("/fact-checks/").content.decode()

    # The count stops one past the depth: the newest three, on the one page there is.
    assert [n for n in range(5) if f"Claim number {n}" in html] == [2, 3, 4]
    assert "The list goes back 2 fact-checks: choose dates or filters above to see older ones." in html


def test_it_reaches_older_fact_checks_by_date(client, make_claim, publish, monkeypatch, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False)
    publish(make_claim("The oldest claim"))
    time_machine.shift(timedelta(days=30))
    for n in range(4):
        publish(make_claim(f"Claim number {n}", claimant=f"Claimant {n}"))
    monkeypatch.setattr(listing, "LIST_DEPTH", 2)

    assert "The oldest claim" not in client.get("/fact-checks/", {"page": 2}).content.decode()
    assert "The oldest claim" in client.get("/fact-checks/", {"until": "2026-03-31"}).content.decode()
