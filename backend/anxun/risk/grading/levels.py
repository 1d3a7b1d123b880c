"""Pure: the four risk levels (安委办〔2016〕11号) and the mark of values still to verify."""

from __future__ import annotations

PENDING = "pending"

# 安委办〔2016〕11号: four levels shown as four colours (domain.md §2.1).
LEVELS = {
    "red": ("重大", "红"),
    "orange": ("较大", "橙"),
    "yellow": ("一般", "黄"),
    "blue": ("低", "蓝"),
}
LEVEL_RANK = {"blue": 0, "yellow": 1, "orange": 2, "red": 3}
