"""The branch's identity, and the rule that a demo database never reaches head office."""

from __future__ import annotations

import pytest

from counter_app.domain.errors import DemoNotEnrollable
from counter_app.hub.server import open_store
from counter_app.services.actor import system_actor
from counter_app.services.branch import Branch


def test_demo_database_can_never_be_enrolled(demo_basedir) -> None:  # type: ignore[no-untyped-def]
    store, _ = open_store(demo_basedir)
    try:
        branch = Branch(store)
        assert branch.info().demo is True
        with pytest.raises(DemoNotEnrollable) as raised:
            branch.assert_enrollable()
        assert raised.value.code == "branch.demo_not_enrollable"
        # Renaming the branch does not wash the demo mark off.
        branch.identify(system_actor(), "3201", "南京分公司客服中心")
        assert branch.info().demo is True
        with pytest.raises(DemoNotEnrollable):
            branch.assert_enrollable()
    finally:
        store.dispose()


def test_real_branch_is_enrollable_and_identity_is_audited(basedir) -> None:  # type: ignore[no-untyped-def]
    from counter_app.services.audit import AuditTrail

    store, _ = open_store(basedir)
    try:
        branch = Branch(store)
        assert branch.info().demo is False
        branch.assert_enrollable()
        info = branch.identify(system_actor("cli"), "3201", "南京分公司客服中心")
        assert (info.code, info.name) == ("3201", "南京分公司客服中心")
        entries = AuditTrail(store).recent(10, "branch.identify")
        assert len(entries) == 1
        assert entries[0].workstation == "cli"
        # Setting the same values again changes nothing and writes no audit entry.
        branch.identify(system_actor("cli"), "3201", "南京分公司客服中心")
        assert len(AuditTrail(store).recent(10, "branch.identify")) == 1
    finally:
        store.dispose()
