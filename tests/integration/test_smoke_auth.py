from learn_app.services.accounts import auth


def test_a_new_account_can_sign_in_and_its_token_identifies_it(session):
    user = auth.register(
        session, email="Ada@Example.com", password="correct horse battery", display_name="Ada"
    )
    session.commit()
    signed_in = auth.sign_in(session, email="ada@example.com", password="correct horse battery")
    session.commit()
    caller = auth.authenticate(session, signed_in.token)
    assert caller.user.id == user.id
    assert caller.user.email == "ada@example.com"
