from __future__ import annotations

from tests.conftest import DEMO_PASSWORDS


def test_demo_hub_answers_and_logs_in(hub_client) -> None:  # type: ignore[no-untyped-def]
    health = hub_client.health()
    assert health.demo is True
    assert health.branch_code == "DEMO01"
    result = hub_client.login("admin", DEMO_PASSWORDS["admin"])
    assert result.staff.username == "admin"
    assert {m.username for m in hub_client.list_staff()} >= set(DEMO_PASSWORDS)
