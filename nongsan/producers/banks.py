"""The Vietnamese banks a household can be paid at, from the shipped list (data/banks.csv)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BANKS_FILE = Path(__file__).resolve().parent / "data" / "banks.csv"


@dataclass(frozen=True)
class Bank:
    """A bank by its NAPAS BIN, the number a VietQR code names the bank by."""

    bin: str
    code: str
    short_name: str
    name: str

    def __str__(self) -> str:
        return f"{self.short_name} — {self.name}"


@lru_cache(maxsize=1)
def banks() -> dict[str, Bank]:
    """Every shipped bank keyed by BIN, in the file's order (the biggest first)."""
    with BANKS_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["bin"]: Bank(**row) for row in csv.DictReader(handle)}


def bank_by_bin(bin_code: str) -> Bank | None:
    return banks().get(bin_code)


def bank_choices() -> list[tuple[str, str]]:
    return [(bank.bin, str(bank)) for bank in banks().values()]
