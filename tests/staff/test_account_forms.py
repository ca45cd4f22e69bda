"""The accounts forms validate, show what was typed again (never a password), and report each
field's problem in the summary and beside the field."""

from __future__ import annotations

from tests.staff.conftest import PASSWORD, World


def test_a_refused_new_account_keeps_what_was_typed_and_marks_each_field(app, db, world: World, session_for):
    admin = session_for(world.a.users["administrator"])
    page = admin.post(
        "/staff/users/new",
        data={"email": "not an address", "display_name": "Pat Example", "role": "viewer", "password": "short"},
    )
    assert page.status_code == 400
    assert 'value="not an address"' in page.text and 'value="Pat Example"' in page.text
    assert 'id="email-error"' in page.text and 'aria-describedby="email-error"' in page.text
    assert 'id="password-error"' in page.text and "short" not in page.text.split("<main", 1)[1]
    assert 'id="display_name-error"' not in page.text
    assert '<a href="#email">Enter an email address, like name@example.org.</a>' in page.text


def test_a_refused_password_change_says_which_field(app, db, world: World, session_for):
    client = session_for(world.a.users["viewer"])
    page = client.post(
        "/staff/account/password",
        data={"current_password": PASSWORD, "new_password": "a fresh long passphrase", "confirm_password": "different"},
    )
    assert page.status_code == 400
    assert 'id="confirm_password-error"' in page.text and "The two new passwords are different." in page.text
    assert 'id="current_password-error"' not in page.text


def test_an_administrator_cannot_demote_themselves(app, db, world: World, session_for):
    me = world.a.users["administrator"]
    page = session_for(me).post(f"/staff/users/{me.id}", data={"display_name": "Me", "role": "viewer", "active": "yes"})
    assert page.status_code == 400 and "remove your own administrator role" in page.text
    db.session.expire_all()
    assert me.role == "administrator"
