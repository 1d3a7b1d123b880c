"""Shared pieces of the authorization matrix: roles, expectation presets, body builders."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from tests.factories import next_uscc

ROLES = [
    "head-hc",
    "officer-hc",
    "rectifier-hc",
    "head-con",
    "regulator",
    "regulator-admin",
    "regulator-con",
    "auditor",
    "admin",
]
unique = itertools.count(1)

ALL_OK = dict.fromkeys(ROLES, "ok")
HC_READ = {
    "head-hc": "ok",
    "officer-hc": "ok",
    "rectifier-hc": "ok",
    "head-con": "hide",
    "regulator": "ok",
    "regulator-admin": "ok",
    "regulator-con": "hide",
    "auditor": "ok",
    "admin": "ok",
}
CON_READ = {
    "head-hc": "hide",
    "officer-hc": "hide",
    "rectifier-hc": "hide",
    "head-con": "ok",
    "regulator": "hide",
    "regulator-admin": "hide",
    "regulator-con": "ok",
    "auditor": "hide",
    "admin": "ok",
}
# Writes by hc enterprise staff only; regulators, auditors and other enterprises cannot.
HC_STAFF_WRITE = HC_READ | {
    "regulator": "forbid",
    "regulator-admin": "forbid",
    "auditor": "forbid",
}


def import_file(world):
    header = "企业名称,统一社会信用代码,行政区划代码,行业,规模,主要负责人,主要负责人账号"
    line = f"矩阵导入{next(unique)}有限公司,{next_uscc()},330211,危险化学品,小型,张三,mx-{next(unique)}"
    return {"file": (io.BytesIO(f"{header}\n{line}\n".encode()), "x.csv")}


@dataclass(frozen=True)
class Row:
    """One endpoint in the matrix.

    `url`, `json` and `kwargs` are functions of a context: the world ids plus whatever `setup`
    (called once per test, inside an app context, with the world) returns.
    """

    method: str
    rule: str
    url: Callable[[dict], str]
    expect: dict[str, str]
    json: Callable[[dict], dict] | None = None
    kwargs: Callable[[dict], dict] | None = None
    setup: Callable[[dict], dict] | None = None
    name: str = ""
