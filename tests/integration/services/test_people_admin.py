"""The admin's list of people: finding accounts, paging through them, disabling them."""

import pytest
from sqlmodel import Session

from learn_app.models import Role, User
from learn_app.services.accounts import auth, passwords, people
from learn_app.services.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied

pytestmark = pytest.mark.integration


def emails(page: people.UserPage) -> set[str]:
    return {user.email for user in page.users}


def add_people(session, count: int) -> None:
    """Many accounts at once, sharing one hash: registering each would hash each password."""
    shared_hash = passwords.hash_password("correct horse battery staple")
    session.add_all(
        User(
            email=f"person{n:02d}@example.com",
            display_name=f"Person {n}",
            password_hash=shared_hash,
        )
        for n in range(count)
    )
    session.commit()


def test_only_an_admin_can_list_people(session, make_user) -> None:
    for role in (Role.learner, Role.teacher):
        with pytest.raises(PermissionDenied):
            people.list_users(session, make_user(role))


def test_searching_matches_email_or_display_name_in_any_case(session, admin, make_user) -> None:
    make_user(email="ada@example.com", display_name="Ada Lovelace")
    make_user(email="grace@example.com", display_name="Grace Hopper")
    assert emails(people.list_users(session, admin, search="LOVELACE")) == {"ada@example.com"}
    assert emails(people.list_users(session, admin, search="grace@")) == {"grace@example.com"}


def test_a_percent_sign_in_the_search_is_matched_literally(session, admin, make_user) -> None:
    make_user(email="full@example.com", display_name="100% Ada")
    make_user(email="plain@example.com", display_name="100 Ada")
    assert emails(people.list_users(session, admin, search="0%")) == {"full@example.com"}
    assert emails(people.list_users(session, admin, search="%")) == {"full@example.com"}


def test_an_underscore_in_the_search_is_matched_literally(session, admin, make_user) -> None:
    make_user(email="ada_l@example.com", display_name="Ada")
    make_user(email="adaxl@example.com", display_name="Ada")
    assert emails(people.list_users(session, admin, search="a_l")) == {"ada_l@example.com"}


def test_a_backslash_in_the_search_is_matched_literally(session, admin, make_user) -> None:
    make_user(email="ada@example.com", display_name="Ada \\ Lovelace")
    make_user(email="grace@example.com", display_name="Grace")
    assert emails(people.list_users(session, admin, search="\\")) == {"ada@example.com"}


def test_a_search_matching_nobody_is_an_empty_first_page(session, admin) -> None:
    page = people.list_users(session, admin, search="nobody-by-this-name")
    assert (page.users, page.page, page.total_pages, page.total) == ([], 1, 1, 0)


def test_people_are_listed_25_to_a_page_newest_first(session, admin) -> None:
    add_people(session, 30)  # with the admin, 31 accounts
    first = people.list_users(session, admin, page=1)
    second = people.list_users(session, admin, page=2)
    assert (first.total, first.total_pages) == (31, 2)
    assert len(first.users) == 25
    assert len(second.users) == 6
    assert emails(first).isdisjoint(emails(second))
    assert admin.email in emails(second)  # created before the others


def test_a_page_beyond_the_last_shows_the_last_page(session, admin) -> None:
    add_people(session, 30)
    for asked in (3, 99):
        page = people.list_users(session, admin, page=asked)
        assert page.page == 2
        assert len(page.users) == 6
    assert people.list_users(session, admin, page=0).page == 1


def test_an_admin_can_disable_an_account_and_it_can_no_longer_sign_in(
    session, admin, learner, password, request_session
) -> None:
    people.set_active(session, admin, learner.id, False)
    session.commit()
    with pytest.raises(NotAuthenticated), request_session() as s:
        auth.sign_in(s, email=learner.email, password=password)


def test_disabling_an_account_ends_its_signed_in_sessions(
    session, admin, learner, sign_in, request_session
) -> None:
    token = sign_in(learner)
    people.set_active(session, admin, learner.id, False)
    session.commit()
    with pytest.raises(NotAuthenticated), request_session() as s:
        auth.authenticate(s, token)


def test_a_re_enabled_account_can_sign_in_again(
    session, engine, admin, learner, sign_in, audit_events
) -> None:
    people.set_active(session, admin, learner.id, False)
    people.set_active(session, admin, learner.id, True)
    session.commit()
    assert sign_in(learner)
    with Session(engine) as s:
        assert s.get(User, learner.id).is_active
    assert [e.actor_id for e in audit_events("user.disabled")] == [admin.id]
    assert [e.actor_id for e in audit_events("user.enabled")] == [admin.id]


def test_an_admin_cannot_disable_themself(session, engine, admin) -> None:
    with pytest.raises(InvalidInput, match="your own account"):
        people.set_active(session, admin, admin.id, False)
    session.rollback()
    with Session(engine) as s:
        assert s.get(User, admin.id).is_active


def test_only_an_admin_can_disable_accounts(session, make_user, learner) -> None:
    with pytest.raises(PermissionDenied):
        people.set_active(session, make_user(Role.teacher), learner.id, False)


def test_disabling_someone_who_does_not_exist_is_not_found(session, admin) -> None:
    with pytest.raises(NotFound):
        people.set_active(session, admin, 999_999, False)


def test_control_characters_in_the_search_are_ignored(session, admin, make_user) -> None:
    make_user(display_name="Kenji Sato")
    found = people.list_users(session, admin, search="Ken\x00ji")
    assert [u.display_name for u in found.users] == ["Kenji Sato"]
