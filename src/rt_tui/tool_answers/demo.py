"""The built-in demo tools: answers of a fixed shape, so a tool round trip can be tried
without writing one. Their names are `rt_tui.session_settings.DEMO_TOOL_NAMES`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

JsonObject = dict[str, Any]


def _arguments(arguments: str) -> JsonObject:
    """The call's arguments, or none when they are not a JSON object (a demo never fails)."""
    try:
        value = json.loads(arguments)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def get_time(arguments: str, now: datetime) -> JsonObject:
    """The current time, in UTC (the demo knows no time zones)."""
    return {"time": now.astimezone(UTC).isoformat(timespec="seconds"), "zone": "UTC"}


def get_weather(arguments: str, now: datetime) -> JsonObject:
    """Made-up but stable weather for the place asked about."""
    place = _arguments(arguments)
    city = next((str(v) for k, v in place.items() if k in ("city", "location", "place")), "")
    city = city or "Nowhere"
    # Stable per city, so a repeated question gets the same answer.
    seed = sum(map(ord, city.lower()))
    return {
        "city": city,
        "temperature_c": 5 + seed % 25,
        "conditions": ("sunny", "cloudy", "rainy", "windy")[seed % 4],
        "source": "rt-tui demo tool",
    }


DEMO_TOOLS: dict[str, Callable[[str, datetime], JsonObject]] = {
    "get_time": get_time,
    "get_weather": get_weather,
}


def demo_output(name: str, arguments: str, now: datetime | None = None) -> str:
    """The demo tool `name`'s output (JSON text) for `arguments`."""
    answer = DEMO_TOOLS[name](arguments, now or datetime.now(UTC))
    return json.dumps(answer)
