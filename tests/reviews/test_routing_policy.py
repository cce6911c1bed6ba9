"""The routing policy on its own: plain values in, a choice out (no database)."""

from datetime import UTC, datetime, timedelta

from reviews.routing import Candidate, ClaimFacts, choose_reviewer, is_eligible

SUBMITTER_ID = 1
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def facts(language="en", topics=(), submitted_by_id=SUBMITTER_ID, excluded=()):
    return ClaimFacts(
        language=language,
        topics=frozenset(topics),
        submitted_by_id=submitted_by_id,
        excluded_reviewer_ids=frozenset(excluded),
    )


def candidate(user_id, *, languages=("en",), topics=(), capacity=3, load=0, last_offered_at=None):
    return Candidate(
        user_id=user_id,
        languages=frozenset(languages),
        topics=frozenset(topics),
        capacity=capacity,
        load=load,
        last_offered_at=last_offered_at,
    )


def chosen_id(claim, candidates):
    choice = choose_reviewer(claim, candidates)
    return None if choice is None else choice.user_id


# Eligibility


def test_it_accepts_a_plain_candidate():
    assert is_eligible(facts(), candidate(10))


def test_it_skips_a_reviewer_without_the_claims_language():
    claim = facts(language="de")

    assert not is_eligible(claim, candidate(10, languages=["en", "fr"]))
    assert is_eligible(claim, candidate(11, languages=["en", "de"]))
    assert chosen_id(claim, [candidate(10, languages=["en", "fr"]), candidate(11, languages=["de"], load=2)]) == 11


def test_it_skips_a_reviewer_at_capacity():
    assert not is_eligible(facts(), candidate(10, capacity=3, load=3))
    assert not is_eligible(facts(), candidate(10, capacity=3, load=4))
    assert is_eligible(facts(), candidate(10, capacity=3, load=2))


def test_it_skips_a_reviewer_with_zero_capacity():
    assert not is_eligible(facts(), candidate(10, capacity=0, load=0))


def test_it_routes_past_a_full_reviewer_to_a_busier_pool_member_with_room():
    full = candidate(10, capacity=1, load=1)
    roomy = candidate(11, capacity=5, load=4)

    assert chosen_id(facts(), [full, roomy]) == 11


def test_it_never_chooses_the_submitter():
    submitter = candidate(SUBMITTER_ID, topics=["economy"])
    other = candidate(20, load=2)
    claim = facts(topics=["economy"])

    assert not is_eligible(claim, submitter)
    assert chosen_id(claim, [submitter, other]) == 20


def test_it_never_chooses_an_excluded_reviewer():
    declined = candidate(10, topics=["health"])
    expired = candidate(11, topics=["health"])
    fresh = candidate(12, load=2)
    claim = facts(topics=["health"], excluded=[10, 11])

    assert not is_eligible(claim, declined)
    assert not is_eligible(claim, expired)
    assert chosen_id(claim, [declined, expired, fresh]) == 12


# Preference


def test_it_prefers_topic_expertise_over_a_lower_load():
    expert = candidate(10, topics=["economy"], load=2)
    idle = candidate(11, topics=["sport"], load=0)

    assert chosen_id(facts(topics=["economy", "trade"]), [idle, expert]) == 10


def test_it_ignores_expertise_in_topics_the_claim_does_not_have():
    off_topic = candidate(10, topics=["sport"], load=1)
    idle = candidate(11, load=0)

    assert chosen_id(facts(topics=["economy"]), [off_topic, idle]) == 11


def test_it_prefers_the_lower_load():
    busy = candidate(10, load=2)
    quiet = candidate(11, load=1)

    assert chosen_id(facts(), [busy, quiet]) == 11


def test_it_prefers_the_lower_load_among_experts():
    busy_expert = candidate(10, topics=["health"], load=2)
    quiet_expert = candidate(11, topics=["health"], load=1)

    assert chosen_id(facts(topics=["health"]), [busy_expert, quiet_expert]) == 11


def test_it_rotates_fairly_to_whoever_was_offered_least_recently():
    recent = candidate(10, last_offered_at=T0 + timedelta(hours=2))
    longest_waiting = candidate(11, last_offered_at=T0)
    middle = candidate(12, last_offered_at=T0 + timedelta(hours=1))

    assert chosen_id(facts(), [recent, longest_waiting, middle]) == 11


def test_it_offers_first_to_a_reviewer_never_offered_anything():
    veteran = candidate(10, last_offered_at=T0 - timedelta(days=365))
    newcomer = candidate(11, last_offered_at=None)

    assert chosen_id(facts(), [veteran, newcomer]) == 11


def test_it_lets_load_win_over_rotation():
    waited_long_but_busy = candidate(10, load=1, last_offered_at=T0 - timedelta(days=30))
    just_offered_but_idle = candidate(11, load=0, last_offered_at=T0)

    assert chosen_id(facts(), [waited_long_but_busy, just_offered_but_idle]) == 11


def test_it_breaks_a_full_tie_by_the_lowest_id_whatever_the_order():
    tied = [candidate(30, last_offered_at=T0), candidate(7, last_offered_at=T0), candidate(19, last_offered_at=T0)]

    assert chosen_id(facts(), tied) == 7
    assert chosen_id(facts(), list(reversed(tied))) == 7


def test_it_breaks_a_tie_between_never_offered_reviewers_by_id():
    assert chosen_id(facts(), [candidate(9), candidate(4), candidate(6)]) == 4


def test_it_returns_none_for_an_empty_pool():
    assert choose_reviewer(facts(), []) is None


def test_it_returns_none_when_nobody_is_eligible():
    pool = [
        candidate(SUBMITTER_ID),
        candidate(10, languages=["fr"]),
        candidate(11, load=3, capacity=3),
        candidate(13),
    ]

    assert choose_reviewer(facts(excluded=[13]), pool) is None


def test_it_returns_the_candidate_itself():
    only = candidate(10, topics=["economy"], load=1)

    assert choose_reviewer(facts(), [only]) is only
