"""Pure plausibility checks on a submitted inspection: flags for reviewers, never blocks."""

from __future__ import annotations

import math
from datetime import datetime

MIN_SECONDS_PER_ITEM = 3
GPS_TOLERANCE_METRES = 200
CLOCK_SKEW_SECONDS = 10 * 60


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    radius = 6_371_008.8
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = math.radians(lat2 - lat1)
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


def flags(
    *,
    started_at: datetime,
    finished_at: datetime,
    answered_items: int,
    received_at: datetime,
    sent_at: datetime | None,
    gps: dict | None,
    place_coordinates: tuple[float, float] | None,
) -> list[dict]:
    """Reasons a reviewer should look twice at this inspection (codes with Chinese messages)."""
    found = []
    seconds = (finished_at - started_at).total_seconds()
    expected = answered_items * MIN_SECONDS_PER_ITEM
    if answered_items and seconds < expected:
        found.append(
            {
                "code": "too_fast",
                "message": f"用时 {int(seconds)} 秒完成 {answered_items} 项检查，"
                f"少于合理最短用时 {expected} 秒。",
                "seconds": seconds,
            }
        )
    if gps and place_coordinates:
        metres = distance_metres(gps["lat"], gps["lon"], *place_coordinates)
        tolerance = max(GPS_TOLERANCE_METRES, 2 * (gps.get("accuracy") or 0))
        if metres > tolerance:
            found.append(
                {
                    "code": "gps_far",
                    "message": f"定位距检查点约 {round(metres)} 米，超出 {round(tolerance)} 米。",
                    "metres": round(metres, 1),
                }
            )
    if sent_at is not None:
        skew = (received_at - sent_at).total_seconds()
        if abs(skew) > CLOCK_SKEW_SECONDS:
            found.append(
                {
                    "code": "clock_skew",
                    "message": f"设备时钟与服务器相差约 {round(abs(skew) / 60)} 分钟。",
                    "seconds": round(skew),
                }
            )
    if (finished_at - received_at).total_seconds() > CLOCK_SKEW_SECONDS:
        found.append(
            {
                "code": "finished_in_future",
                "message": "完成时间晚于服务器接收时间，设备时钟可能不准。",
                "seconds": round((finished_at - received_at).total_seconds()),
            }
        )
    return found
