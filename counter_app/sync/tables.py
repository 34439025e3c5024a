"""Which of the branch store's tables go where (docs/replication.md).

Ownership removes most conflicts: a table is written by one side only.

- ``UP``: made at the branch and only there (tickets, intake, print jobs, blank-form moves,
  the audit trail). Every insert and update is captured in the outbox and sent to head
  office, where the rows are keyed by branch code first and never written by anyone else.
- ``DOWN``: reference data head office publishes (services, windows, checklists, staff, form
  types, blank-form allotments, printers). Pulled down by cursor (sync/reference.py). A
  branch may edit them too (a window renamed): these are the rows both sides change, so each
  write carries a hybrid-clock stamp and origin (domain/hlc.py), the later write wins on both
  sides, and the branch's edits go up into head office's ``reference_edit``.
- ``LOCAL``: the hub's own machinery, never replicated: tokens and login attempts (secrets
  and brute-force counters), pushed events, day counters, live window state, display keys.
"""

from __future__ import annotations

UP: tuple[str, ...] = (
    "audit_entry",
    "ticket",
    "ticket_transition",
    "call_request",
    "rating",
    "appointment",
    "intake_file",
    "intake_entry",
    "handover_batch",
    "pickup_request",
    "policy_document",
    "print_job",
    "blank_form_serial",
    "blank_form_movement",
    "blank_form_tally",
    # The branch's receipt of an allotment into stock (who received it, when): branch-made.
    "blank_form_allocation",
)

DOWN: tuple[str, ...] = (
    "service_type",
    "counter_window",
    "window_service",
    "service_staff",
    "checklist_template",
    "staff",
    "staff_role",
    "printer",
    "form_type",
    "form_allotment",
)

LOCAL: tuple[str, ...] = (
    "sync_outbox",
    "hub_meta",
    "login_attempt",
    "auth_token",
    "hub_event",
    "number_counter",
    "queue_count",
    "window_state",
    "display_key",
    "day_counter",
)
