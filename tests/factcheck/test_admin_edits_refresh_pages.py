"""An edit in the admin shows on the public pages at the next load, not when the page cache expires: renaming a
claimant or a topic, editing a rating's definition, deleting a topic."""

import pytest
from django.urls import reverse

from claims import services as claim_services
from claims.models import Claimant, Topic
from factcheck.record.models import RatingScale


def form_values(form) -> dict:
    """What a browser would post for `form` as the admin rendered it (prefixed names, current values)."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[field.html_name] = [str(item) for item in value]
        else:
            data[field.html_name] = "on" if value is True else value
    return data


def change_in_admin(client, obj, changes: dict | None = None, inline_changes: dict | None = None):
    """Open the object's admin change page and save it with `changes` (and `inline_changes` by prefixed name).

    Call it inside `committed()`: tests run in a transaction that never commits, and pages refresh on commit."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200, page.content[:300]
    data = form_values(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        data |= form_values(inline.formset.management_form)
        for form in inline.formset.forms:
            data |= form_values(form)
    answer = client.post(url, {**data, **(changes or {}), **(inline_changes or {})})
    assert answer.status_code == 302, answer.context["adminform"].form.errors if answer.context else answer
    return answer


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the commit (the page cache's refresh) as a real commit of the admin's save would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def published_on_trade(make_claim, publish):
    Topic.objects.create(slug="trade", name="Trade")
    claim = make_claim(claimant="Minister Jane Roe", topics=["trade"])
    publish(claim)
    return claim


def test_it_shows_a_claimant_renamed_in_the_admin_on_the_next_page_load(client, editor, published_on_trade, committed):
    claimant = Claimant.objects.get()
    page_url = reverse("factcheck:claimant", args=[claimant.slug])
    assert "Minister Jane Roe" in client.get(page_url).content.decode()  # now cached
    client.force_login(editor)

    with committed():
        change_in_admin(client, claimant, {"name": "Minister Jane Roe-Smith"})
    client.logout()
    page = client.get(page_url).content.decode()

    assert "Minister Jane Roe-Smith" in page


def test_it_shows_a_topic_renamed_in_the_admin_on_the_next_page_load(client, editor, published_on_trade, committed):
    topic = Topic.objects.get()
    assert "Trade" in client.get(reverse("factcheck:topic", args=["trade"])).content.decode()
    assert "Trade" in client.get(reverse("factcheck:topics")).content.decode()
    client.force_login(editor)

    with committed():
        change_in_admin(client, topic, {"name": "Foreign trade"})
    client.logout()

    assert (
        "Fact-checks on <bdi>Foreign trade</bdi>"
        in client.get(reverse("factcheck:topic", args=["trade"])).content.decode()
    )
    assert "Foreign trade" in client.get(reverse("factcheck:topics")).content.decode()


def test_it_drops_a_topic_deleted_in_the_admin_from_the_topic_list(client, admin_client, published_on_trade, committed):
    topic = Topic.objects.get()
    assert "Trade" in client.get(reverse("factcheck:topics")).content.decode()

    with committed():
        admin_client.post(reverse("admin:claims_topic_delete", args=[topic.pk]), {"post": "yes"})

    assert not Topic.objects.exists()
    assert ">Trade<" not in client.get(reverse("factcheck:topics")).content.decode()


def test_it_shows_a_rating_definition_edited_in_the_admin_on_the_methodology_page(client, admin_client, committed):
    scale = RatingScale.objects.get(is_default=True)
    assert "Checked against the archive" not in client.get(reverse("factcheck:methodology")).content.decode()
    # The first rating, unused by any verdict, so nothing freezes it.
    first = scale.ratings.order_by("position").first()

    with committed():
        change_in_admin(admin_client, scale, inline_changes={"ratings-0-definition": "Checked against the archive."})

    first.refresh_from_db()
    assert first.definition == "Checked against the archive."
    assert "Checked against the archive." in client.get(reverse("factcheck:methodology")).content.decode()


def test_it_shows_a_claimant_renamed_over_the_api_on_the_next_page_load(
    client, api, editor, published_on_trade, committed
):
    claimant = Claimant.objects.get()
    page_url = reverse("factcheck:claimant", args=[claimant.slug])
    assert "Minister Jane Roe" in client.get(page_url).content.decode()  # now cached

    with committed():
        answer = api(editor).patch(f"/api/v1/claimants/{claimant.pk}/", {"name": "Ministerin Jane Roe"}, format="json")
    assert answer.status_code == 200, answer.content

    assert "Ministerin Jane Roe" in client.get(page_url).content.decode()


def test_it_shows_a_topic_renamed_by_its_service_on_the_next_page_load(client, editor, published_on_trade, committed):
    topic = Topic.objects.get()
    assert "Trade" in client.get(reverse("factcheck:topics")).content.decode()  # now cached

    with committed():
        claim_services.update_topic(topic_id=topic.pk, user=editor, name="Торговля")

    assert "Торговля" in client.get(reverse("factcheck:topics")).content.decode()
