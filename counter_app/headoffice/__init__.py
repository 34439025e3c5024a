"""Head office's side of replication: its PostgreSQL schema, roles and branches (no Qt)."""
