"""Money as the API writes it everywhere: yuan as a two-place decimal string ("2000.00")."""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")


def money_text(value) -> str | None:
    """An amount in yuan (Decimal, int or a float read back from old JSON) as "2000.00"."""
    if value is None:
        return None
    return f"{Decimal(str(value)).quantize(CENT):f}"
