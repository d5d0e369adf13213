"""Profile Settings: what a learner may change about themselves, validated field by field."""

import pytest
from sqlmodel import Session

from learn_app.models import User
from learn_app.services.accounts.profile import ProfileUpdate, update_profile
from learn_app.services.errors import InvalidInput

pytestmark = pytest.mark.integration


def stored(engine, user: User) -> User:
    with Session(engine) as s:
        return s.get(User, user.id)


def update(session, user: User, **changes: object) -> User:
    updated = update_profile(session, user, ProfileUpdate(**changes))
    session.commit()
    return updated


def refused_field(session, user: User, **changes: object) -> str | None:
    with pytest.raises(InvalidInput) as caught:
        update_profile(session, user, ProfileUpdate(**changes))
    return caught.value.field


@pytest.mark.parametrize("retention", [0.70, 0.9, 0.97])
def test_a_desired_retention_from_070_to_097_is_accepted(
    session, engine, learner, retention
) -> None:
    update(session, learner, desired_retention=retention)
    assert stored(engine, learner).desired_retention == retention


@pytest.mark.parametrize("retention", [0.69, 0.98, 0.0, 1.0, float("nan"), "high"])
def test_a_desired_retention_outside_070_to_097_is_refused(session, learner, retention) -> None:
    assert refused_field(session, learner, desired_retention=retention) == "desired_retention"


@pytest.mark.parametrize("goal", [0, 20, 200])
def test_a_daily_goal_from_0_to_200_is_accepted(session, engine, learner, goal) -> None:
    update(session, learner, daily_goal=goal)
    assert stored(engine, learner).daily_goal == goal


@pytest.mark.parametrize("goal", [-1, 201, 10.5, "ten", True])
def test_a_daily_goal_outside_0_to_200_or_not_whole_is_refused(session, learner, goal) -> None:
    assert refused_field(session, learner, daily_goal=goal) == "daily_goal"


def test_a_known_time_zone_is_accepted(session, engine, learner) -> None:
    update(session, learner, timezone="Asia/Tokyo")
    assert stored(engine, learner).timezone == "Asia/Tokyo"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "asia/tokyo", "../etc/passwd"])
def test_an_unknown_time_zone_is_refused(session, learner, zone) -> None:
    assert refused_field(session, learner, timezone=zone) == "timezone"


def test_a_listed_native_and_target_language_are_accepted(session, engine, learner) -> None:
    update(session, learner, native_language="fr", target_language="es")
    after = stored(engine, learner)
    assert (after.native_language, after.target_language) == ("fr", "es")


def test_an_unknown_native_language_is_refused(session, learner) -> None:
    assert refused_field(session, learner, native_language="xx") == "native_language"


def test_a_target_language_the_portal_does_not_teach_is_refused(session, learner) -> None:
    with pytest.raises(InvalidInput) as caught:
        update_profile(session, learner, ProfileUpdate(target_language="fr"))
    assert caught.value.field == "target_language"
    assert "Japanese" in caught.value.message


def test_the_display_name_can_be_changed_and_is_cleaned(session, engine, learner) -> None:
    update(session, learner, display_name="  Ada   Lovelace ")
    assert stored(engine, learner).display_name == "Ada Lovelace"


def test_an_empty_display_name_is_refused(session, learner) -> None:
    assert refused_field(session, learner, display_name="   ") == "display_name"


def test_one_bad_field_changes_nothing(session, engine, learner) -> None:
    before = stored(engine, learner)
    with pytest.raises(InvalidInput):
        update_profile(
            session,
            learner,
            ProfileUpdate(display_name="New Name", daily_goal=50, desired_retention=0.99),
        )
    assert learner.display_name == before.display_name
    assert learner.daily_goal == before.daily_goal
    session.commit()
    after = stored(engine, learner)
    assert (after.display_name, after.daily_goal, after.desired_retention) == (
        before.display_name,
        before.daily_goal,
        before.desired_retention,
    )


def test_fields_not_given_are_left_alone(session, engine, learner) -> None:
    update(session, learner, timezone="Europe/Madrid")
    update(session, learner, daily_goal=5)
    after = stored(engine, learner)
    assert (after.timezone, after.daily_goal) == ("Europe/Madrid", 5)


def test_a_profile_change_is_audited_with_the_fields_changed(
    session, learner, audit_events
) -> None:
    update(session, learner, daily_goal=5, timezone="Europe/Madrid", native_language="en")
    [event] = audit_events("user.profile_updated")
    assert event.detail["fields"] == ["daily_goal", "timezone"]


def test_saving_an_unchanged_profile_is_not_audited(session, learner, audit_events) -> None:
    update(session, learner, daily_goal=learner.daily_goal)
    assert audit_events("user.profile_updated") == []
