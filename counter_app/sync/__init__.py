"""Replication between a branch hub and head office (docs/replication.md)."""
