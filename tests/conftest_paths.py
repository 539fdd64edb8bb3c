"""Where the shared seeds and annotated data live (../shared beside the repository)."""

from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
DEV = SHARED / "data" / "dev"
