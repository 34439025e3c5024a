"""The link to head office as the hub builds it (no server): TLS in the kept DSN, the
timeouts of ``connection_params``, and the hub identity check against this PC's keyring."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from psycopg.conninfo import conninfo_to_dict

from counter_app.config.basedir import Basedir
from counter_app.domain.errors import InvalidInput
from counter_app.headoffice.admin import InvalidDsn
from counter_app.secrets import Credentials, MemoryKeyring
from counter_app.sync import enrolment
from counter_app.sync.enrolment import (
    DEAD_LINK_SECONDS,
    INSTANCE_FILE,
    PURPOSE,
    HubCopied,
    HubInstanceDamaged,
    TlsRootCertMissing,
    check_identity,
    connection_params,
    enrolled,
    link_security,
    with_tls,
)
from counter_app.ui.messages import ERRORS

REMOTE = "postgresql://branch_f1:p%40ss%20word@ho.example.com:5432/headoffice"


def params(dsn: str) -> dict[str, Any]:
    return conninfo_to_dict(dsn)


# --- TLS in the DSN ---


def test_a_remote_head_office_without_sslmode_is_verified_in_full() -> None:
    dsn = with_tls(REMOTE)
    got = params(dsn)
    assert got["sslmode"] == "verify-full"
    # Everything else as it was, the password decoded the same.
    assert got["password"] == "p@ss word"
    assert (got["host"], got["port"], got["dbname"], got["user"]) == (
        "ho.example.com",
        "5432",
        "headoffice",
        "branch_f1",
    )
    assert link_security(dsn) == ("verify-full", True)


@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://b:p@127.0.0.1:5432/ho",
        "postgresql://b:p@localhost/ho",
        "postgresql://b:p@[::1]:5433/ho",
        "postgresql://b:p@/ho?host=/var/run/postgresql",
        "postgresql://b:p@127.0.0.1,localhost/ho",
    ],
)
def test_a_head_office_on_this_pc_keeps_libpqs_default(dsn: str) -> None:
    assert with_tls(dsn) == dsn
    assert link_security(dsn) == ("prefer", True)


def test_what_the_dsn_says_is_kept_and_an_option_given_wins() -> None:
    disabled = REMOTE + "?sslmode=disable&application_name=x"
    assert with_tls(disabled) == disabled
    assert link_security(disabled) == ("disable", False)
    required = with_tls(disabled, sslmode="require")
    assert params(required)["sslmode"] == "require"
    assert params(required)["application_name"] == "x"
    assert required.count("sslmode") == 1
    assert link_security(required) == ("require", False)
    # A name that is one of several hosts makes the whole address remote.
    mixed = "postgresql://b:p@127.0.0.1,ho.example.com/ho"
    assert params(with_tls(mixed))["sslmode"] == "verify-full"


def test_a_ca_certificate_is_kept_as_an_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = tmp_path / "certs" / "head office ca.crt"
    ca.parent.mkdir()
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    monkeypatch.chdir(tmp_path)
    dsn = with_tls(REMOTE, sslrootcert="certs/head office ca.crt")
    assert params(dsn)["sslrootcert"] == str(ca)
    assert params(dsn)["sslmode"] == "verify-full"
    # A CA given for a head office on this PC means it is to be checked as well.
    local = with_tls("postgresql://b:p@127.0.0.1/ho", sslrootcert=str(ca))
    assert params(local)["sslmode"] == "verify-full"
    assert params(with_tls(REMOTE, "verify-ca", "system"))["sslrootcert"] == "system"


def test_a_missing_ca_certificate_or_an_unknown_mode_is_refused_before_connecting(
    tmp_path: Path,
) -> None:
    with pytest.raises(TlsRootCertMissing) as missing:
        with_tls(REMOTE, sslrootcert=str(tmp_path / "nope.crt"))
    assert missing.value.code == "sync.tls_rootcert_missing"
    assert missing.value.params["path"] == str(tmp_path / "nope.crt")
    assert "{path}" in ERRORS["sync.tls_rootcert_missing"]
    with pytest.raises(InvalidInput):
        with_tls(REMOTE, sslmode="sometimes")
    with pytest.raises(InvalidDsn):
        with_tls("postgresql://b:p@host/x?nosuch=1")


# --- timeouts ---


def test_connection_params_give_up_on_a_dead_link_within_a_minute() -> None:
    got = connection_params(REMOTE)
    assert DEAD_LINK_SECONDS == 60
    assert got["keepalives"] == 1
    # Silence for idle + count * interval, and unacknowledged data for tcp_user_timeout.
    assert got["keepalives_idle"] + got["keepalives_count"] * got["keepalives_interval"] <= 60
    assert got["tcp_user_timeout"] == 60_000
    assert got["connect_timeout"] == 10
    options = got["options"].split()
    # The same at head office's end, and a statement limit a catch-up batch never meets.
    for setting in (
        "tcp_keepalives_idle=20",
        "tcp_keepalives_interval=10",
        "tcp_keepalives_count=3",
        "tcp_user_timeout=60000",
        "statement_timeout=10min",
    ):
        assert setting in options
        assert options[options.index(setting) - 1] == "-c"
    assert got["password"] == "p@ss word"
    scaled = connection_params(REMOTE, dead_after=6)
    assert (scaled["keepalives_idle"], scaled["keepalives_interval"]) == (2, 1)
    assert scaled["tcp_user_timeout"] == 6000


def test_the_dsns_own_settings_win() -> None:
    dsn = REMOTE + "?keepalives_idle=5&connect_timeout=3&options=-c%20search_path%3Dho"
    got = connection_params(dsn)
    assert (got["keepalives_idle"], got["connect_timeout"]) == ("5", "3")
    # Its options after ours: of two -c for one setting PostgreSQL takes the later.
    assert got["options"].endswith(" -c search_path=ho")
    assert got["options"].startswith("-c tcp_keepalives_idle=")


# --- the hub's identity ---


@pytest.fixture
def ring() -> Credentials:
    return Credentials(MemoryKeyring())


def _enrolled_here(basedir: Basedir, ring: Credentials, instance: str, machine: str) -> None:
    """What ``enrol`` leaves behind on this PC, without a head office."""
    ring.set(
        PURPOSE,
        f"hub:{basedir.root.resolve()}",
        json.dumps({"branch": "F1", "dsn": REMOTE, "instance": instance, "machine": machine}),
    )
    (basedir.root / INSTANCE_FILE).write_text(instance + "\n", encoding="ascii")


def test_the_hub_enrolled_on_this_pc_passes(
    basedir: Basedir, ring: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(enrolment, "machine_id", lambda: "m" * 32)
    _enrolled_here(basedir, ring, "a" * 32, "m" * 32)
    link = enrolled(basedir, ring)
    assert link is not None
    assert (link.instance, link.machine, link.folder) == (
        "a" * 32,
        "m" * 32,
        str(basedir.root.resolve()),
    )
    check_identity(link)
    # Its file deleted (a reinstall that kept data/): written again from this PC's entry.
    (basedir.root / INSTANCE_FILE).unlink()
    check_identity(link)
    assert (basedir.root / INSTANCE_FILE).read_text(encoding="ascii").strip() == "a" * 32


def test_a_folder_copied_over_this_pcs_hub_is_refused(basedir: Basedir, ring: Credentials) -> None:
    _enrolled_here(basedir, ring, "a" * 32, "")
    (basedir.root / INSTANCE_FILE).write_text("b" * 32 + "\n", encoding="ascii")
    link = enrolled(basedir, ring)
    assert link is not None
    with pytest.raises(HubCopied) as refused:
        check_identity(link)
    assert refused.value.code == "sync.hub_copied"
    assert "counter-app hub enrol" in refused.value.detail
    assert "hub enrol" in ERRORS["sync.hub_copied"]
    assert "{" not in ERRORS["sync.hub_copied"]  # the sync status carries no parameters


def test_a_keyring_entry_that_roamed_to_another_pc_is_refused(
    basedir: Basedir, ring: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    _enrolled_here(basedir, ring, "a" * 32, "m" * 32)
    link = enrolled(basedir, ring)
    assert link is not None
    monkeypatch.setattr(enrolment, "machine_id", lambda: "n" * 32)
    with pytest.raises(HubCopied):
        check_identity(link)
    # A PC whose OS has no machine id is judged by the file alone.
    monkeypatch.setattr(enrolment, "machine_id", lambda: "")
    check_identity(link)


def test_a_damaged_identity_file_is_said_so(basedir: Basedir, ring: Credentials) -> None:
    _enrolled_here(basedir, ring, "a" * 32, "")
    (basedir.root / INSTANCE_FILE).write_text("not an id\n", encoding="ascii")
    link = enrolled(basedir, ring)
    assert link is not None
    with pytest.raises(HubInstanceDamaged):
        check_identity(link)


def test_a_link_made_by_hand_has_no_folder_to_check() -> None:
    check_identity(enrolment.Enrolled("F1", REMOTE, "a" * 32))


def test_the_machine_id_is_hashed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enrolment, "_raw_machine_id", lambda: "3d1219c7c4c5404aaa1f6d2a48adfda4")
    hashed = enrolment.machine_id()
    assert len(hashed) == 32
    assert "3d1219c7" not in hashed
    monkeypatch.setattr(enrolment, "_raw_machine_id", lambda: "")
    assert enrolment.machine_id() == ""
