"""API keys on the command line: created once and shown once, stored hashed, listed, revoked."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from service.db import make_engine
from service.models import ApiKey


def test_keys_create_prints_the_key_once_and_stores_only_its_hash(app, client, session):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["keys", "create", "newsroom"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert secret.startswith("tl_") and len(secret) > 40
    stored = session.scalars(select(ApiKey)).one()
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (stored.name, stored.prefix, stored.key_hash) and stored.scope == "write"

    listed = runner.invoke(args=["keys", "list"])
    assert "newsroom" in listed.output and stored.prefix in listed.output and secret not in listed.output
    again = runner.invoke(args=["keys", "create", "newsroom"])
    assert again.exit_code != 0 and "already exists" in again.output

    headers = {"Authorization": f"Bearer {secret}"}
    posted = client.post(
        "/api/v1/actors", json={"name": "Zarqa Testperson", "kind": "person"}, headers=headers
    )
    assert posted.status_code == 201
    revoked = runner.invoke(args=["keys", "revoke", "newsroom"])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert "revoked 20" in runner.invoke(args=["keys", "list"]).output
    refused = client.post("/api/v1/actors", json={"name": "Other Person", "kind": "person"}, headers=headers)
    assert refused.status_code == 401


def test_keys_revoke_names_a_key_that_does_not_exist(app):
    result = app.test_cli_runner().invoke(args=["keys", "revoke", "nobody"])
    assert result.exit_code != 0 and "nobody" in result.output


def test_keys_list_without_keys_says_writes_are_loopback_only(app):
    assert "only from loopback" in app.test_cli_runner().invoke(args=["keys", "list"]).output


def test_startup_says_who_may_write(app, caplog):
    from service.auth import announce

    with caplog.at_level("INFO", logger="service.auth"):
        announce(app)
    assert "writes are accepted only from loopback addresses" in caplog.text


def test_database_errors_never_carry_statement_parameters(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    assert engine.hide_parameters  # exception texts (and so logs) leave out article texts
    engine.dispose()
