"""What a client and a hub must agree on. A test keeps this equal to the newest migration."""

SCHEMA_REVISION = "0006_policy_printing"
API_VERSION = 1
