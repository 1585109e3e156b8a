"""Money: the one rounding rule and the one way an amount is written for a reader."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def fen(amount: Decimal) -> Decimal:
    """Round half-up to 0.01 CNY: the one rounding rule."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def cny(amount: Decimal) -> str:
    """¥12,345.00 (negative: -¥425.00)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"
