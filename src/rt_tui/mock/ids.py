"""Ids shaped like the service's (`event_C9G5RJeJ2gF77mV7f2B1j`): a prefix and 21 characters."""

from __future__ import annotations

import random
import string

_ALPHABET = string.ascii_letters + string.digits


class IdFactory:
    """Makes ids like the service's; a fixed `seed` makes a session's ids repeatable."""

    def __init__(self, seed: int | str | None = None) -> None:
        self._random = random.Random(seed)

    def __call__(self, prefix: str) -> str:
        """A new id such as `item_…`, `resp_…`, `call_…`, `event_…`."""
        return prefix + "_" + "".join(self._random.choices(_ALPHABET, k=21))
