"""What a client and a hub must agree on. A test keeps this equal to the newest migration."""

SCHEMA_REVISION = "0008_reference_down"
API_VERSION = 1
