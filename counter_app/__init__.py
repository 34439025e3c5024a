"""Service-counter application for motor-insurance branch offices."""

import time

# Taken before any heavy import, so the startup time the program logs is what a user waits.
PROCESS_START = time.perf_counter()

__version__ = "0.1.0"
APP_NAME = "counter-app"
