"""`make bench`: the four benchmarks of issue 10, one table.

``python -m benchmarks`` runs ``updates``, ``nudges``, ``delivery`` and ``replicas`` in that
order (each a module with ``async def run(small: bool) -> list[Row]``, see
``benchmarks.report``), prints their rows as one table and the machine they ran on.
``--small`` runs the tiny versions (what ``make test`` runs); ``--only NAME`` one of them.
A benchmark whose module does not exist yet is skipped with a line saying so.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import platform
import sys
from collections.abc import Callable, Coroutine, Sequence
from types import ModuleType
from typing import Any, cast

from benchmarks import report
from benchmarks.report import Row

BENCHMARKS = ("updates", "nudges", "delivery", "replicas", "programs")


def load(name: str) -> ModuleType | None:
    """The benchmark's module, or None when it does not exist (yet)."""
    module = f"benchmarks.{name}"
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name == module:
            return None
        raise


def machine() -> str:
    load1, load5, _ = os.getloadavg()
    return (
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.platform()}; "
        f"load average {load1:.2f} (1 min), {load5:.2f} (5 min) at the end"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--small", action="store_true", help="the tiny versions (for tests)")
    parser.add_argument("--only", choices=BENCHMARKS, metavar="NAME", help=", ".join(BENCHMARKS))
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for name in [args.only] if args.only else BENCHMARKS:
        module = load(name)
        if module is None:
            print(f"{name}: skipped, benchmarks/{name}.py does not exist yet")
            continue
        run = cast(Callable[[bool], Coroutine[Any, Any, list[Row]]], module.run)
        rows += asyncio.run(run(args.small))
    print()
    print(report.table(rows))
    print()
    print(machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
