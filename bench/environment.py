"""Django for a benchmark: bench settings on a fresh SQLite file of its own.

Imported before Django is set up, so nothing here imports Django at the top.
With ``DATABASE_URL`` set (PostgreSQL, say) that database is used as it is.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"


def setup_django(database: str) -> None:
    """Sets Django up on ``var/bench/<database>.sqlite3``, emptied first."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    db = BENCH_DIR / f"{database}.sqlite3"
    if db.exists() and "DATABASE_URL" not in os.environ:
        db.unlink()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.bench")
    import django

    django.setup()
