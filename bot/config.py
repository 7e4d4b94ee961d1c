"""Settings from the environment, in one place.

Built on every call (it is cheap) so that tests and tools that change the environment
always see the current values; nothing here is cached.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    project_root: Path
    database_url: str
    evidence_dir: Path
    policy_path: Path


def get_settings() -> Settings:
    """Current settings: `DATABASE_URL`, `EVIDENCE_DIR` and `POLICY_FILE`, with local defaults."""
    root = PROJECT_ROOT
    return Settings(
        project_root=root,
        database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{root / 'var' / 'shop.db'}",
        evidence_dir=Path(os.environ.get("EVIDENCE_DIR") or root / "var" / "evidence"),
        policy_path=Path(os.environ.get("POLICY_FILE") or root / "policy.yml"),
    )
