"""The authorization matrix, one module of rows per area; `all_rows()` gathers them."""

import importlib
import pkgutil


def all_rows():
    rows = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name == "common":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        rows.extend(module.ROWS)
    return rows
