"""What a client and a hub must agree on. A test keeps this equal to the newest migration."""

SCHEMA_REVISION = "0007_outbox"
API_VERSION = 1
