"""Service-counter application for motor-insurance branch offices."""

__version__ = "0.1.0"
APP_NAME = "counter-app"
