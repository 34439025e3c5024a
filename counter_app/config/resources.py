"""Where the shipped data files are: ``resources/`` beside the package (a checkout) or inside
it (the frozen program)."""

from __future__ import annotations

from pathlib import Path


def resources_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "resources", here / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("resources folder not found")


def demo_policies_file() -> Path:
    """The demo's policies and endorsements, in the core system's import format."""
    return resources_dir() / "policies" / "demo.json"
