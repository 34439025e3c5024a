"""Plain-Python rules of the counter. Imports nothing but the standard library."""
