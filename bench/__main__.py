"""Run the benchmark scenarios: ``python -m bench [scenario ...]``.

Each scenario prints one JSON line. The database is a throwaway SQLite file in a temporary
folder (migrated, administrative units loaded), unless ``--database-url`` names another.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import bench


def scenario_names() -> list[str]:
    """Every module of the package that is a scenario, in name order."""
    return sorted(
        module.name
        for module in pkgutil.iter_modules(bench.__path__)
        if not module.name.startswith("_")
    )


def _parser(names: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Run the benchmark scenarios of Nông Sàn and print one JSON line per scenario. "
            "Django is set up with DJANGO_SETTINGS_MODULE (config.settings.local unless set) "
            "on a throwaway SQLite database in a temporary folder, migrated and loaded with "
            "the administrative units. Scenarios: " + ", ".join(names) + "."
        ),
    )
    parser.add_argument(
        "scenarios",
        nargs="*",
        metavar="scenario",
        help="scenarios to run (default: all)",
    )
    parser.add_argument(
        "--size", type=int, default=None, help="override each scenario's default size"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="run against this database instead of a throwaway SQLite file (it is migrated"
        " and the units are loaded into it)",
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    return parser


def _set_up_django(database_url: str | None, folder: Path) -> float:
    """Point Django at the benchmark database, migrate it and load the units; seconds taken."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DEBUG", "False")  # DEBUG keeps every query in memory
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    import django

    django.setup()
    from django.core.management import call_command

    from nongsan.geo.address import clear_address_index
    from nongsan.geo.loading import load_units

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_units()
    clear_address_index()
    return time.perf_counter() - started


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"bench.{name}")


def main(argv: list[str] | None = None) -> int:
    names = scenario_names()
    parser = _parser(names)
    arguments = parser.parse_args(argv)
    if arguments.list:
        print("\n".join(names))
        return 0
    unknown = [name for name in arguments.scenarios if name not in names]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}; known: {', '.join(names)}")
    with tempfile.TemporaryDirectory(prefix="nongsan-bench-") as folder:
        _set_up_django(arguments.database_url, Path(folder))
        for name in arguments.scenarios or names:
            result = _load(name).run(size=arguments.size)
            print(json.dumps(result, ensure_ascii=False), flush=True)
        from django.db import connections

        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
