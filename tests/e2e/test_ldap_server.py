"""Self-test of the LDAP fixture (ldap_server.py): binds, memberOf and access control of the real slapd."""
from __future__ import annotations

import pytest

from conftest import run
from ldap_server import CLIENT_ENV, ldap  # noqa: F401  (the ldap fixture)

pytestmark = pytest.mark.berth_only


def whoami(ldap, dn: str, password: str):
    return run(["ldapwhoami", "-x", "-H", ldap.url, "-D", dn, "-w", password], timeout=30, check=False,
               env=CLIENT_ENV)


def test_listens_on_loopback_only(ldap):
    out = run(["ss", "-Hltn", f"sport = :{ldap.port}"], timeout=10)
    listeners = [line.split()[3] for line in out.stdout.splitlines() if line.strip()]
    assert listeners == [f"127.0.0.1:{ldap.port}"]


def test_users_bind_and_groups_set_member_of(ldap):
    alice = ldap.add_user("alice", "Alice-pw-1", mail="alice@example.test", cn="Alice A")
    bob = ldap.add_user("bob", "Bob-pw-1")
    devs = ldap.add_group("devs", [alice])

    ok = whoami(ldap, alice, "Alice-pw-1")
    assert ok.returncode == 0 and ok.stdout.strip() == f"dn:{alice}", ok.stdout + ok.stderr
    assert whoami(ldap, bob, "Bob-pw-1").returncode == 0
    assert whoami(ldap, alice, "Bob-pw-1").returncode == 49
    assert whoami(ldap, ldap.admin_dn, "not-" + ldap.admin_password).returncode == 49

    people = ldap.search(ldap.people_dn, "(objectClass=inetOrgPerson)", "uid", "mail", "cn", "memberOf")
    assert people[alice]["memberOf"] == [devs]
    assert people[alice]["mail"] == ["alice@example.test"] and people[alice]["cn"] == ["Alice A"]
    assert "memberOf" not in people[bob]

    ldap.add_member(devs, bob)
    assert ldap.search(bob, "(objectClass=*)", "memberOf", scope="base")[bob]["memberOf"] == [devs]

    ldap.set_password("bob", "Bob-pw-2")
    assert whoami(ldap, bob, "Bob-pw-1").returncode == 49
    assert whoami(ldap, bob, "Bob-pw-2").returncode == 0

    ldap.delete_user("bob")
    assert whoami(ldap, bob, "Bob-pw-2").returncode == 49
    assert ldap.search(devs, "(objectClass=*)", "member", scope="base")[devs]["member"] == [alice]


def test_user_password_is_hidden(ldap):
    carol = ldap.add_user("carol", "Carol-pw-1")
    dave = ldap.add_user("dave", "Dave-pw-1")
    as_admin = ldap.search(carol, "(objectClass=*)", "userPassword", "uid", scope="base")
    assert as_admin[carol]["userPassword"][0].startswith("{SSHA}")
    for bind in (None, (dave, "Dave-pw-1")):
        seen = ldap.search(ldap.people_dn, "(uid=carol)", "userPassword", "uid", bind=bind)
        assert seen == {carol: {"uid": ["carol"]}}, (bind, seen)
