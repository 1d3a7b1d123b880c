"""Pure rules for organisations: USCC, region codes, jurisdictions, industries, engagement windows."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from stdnum.cn import uscc as _uscc
from stdnum.exceptions import ValidationError as _StdnumError


class Industry(StrEnum):
    hazardous_chemicals = "hazardous_chemicals"
    construction = "construction"
    dust_explosion = "dust_explosion"
    confined_space = "confined_space"
    industry_trade = "industry_trade"
    other = "other"


INDUSTRY_LABELS = {
    Industry.hazardous_chemicals: "危险化学品",
    Industry.construction: "房屋市政工程",
    Industry.dust_explosion: "粉尘涉爆",
    Industry.confined_space: "有限空间作业",
    Industry.industry_trade: "工贸其他",
    Industry.other: "其他",
}


class SizeClass(StrEnum):
    large = "large"
    medium = "medium"
    small = "small"
    micro = "micro"


SIZE_LABELS = {
    SizeClass.large: "大型",
    SizeClass.medium: "中型",
    SizeClass.small: "小型",
    SizeClass.micro: "微型",
}
SMALL_MICRO = {SizeClass.small, SizeClass.micro}


class RegulatorLevel(StrEnum):
    province = "province"
    city = "city"
    county = "county"


LEVEL_LABELS = {
    RegulatorLevel.province: "省级",
    RegulatorLevel.city: "市级",
    RegulatorLevel.county: "县级",
}


class RegulatorKind(StrEnum):
    emergency_management = "emergency_management"
    housing_construction = "housing_construction"


KIND_LABELS = {
    RegulatorKind.emergency_management: "应急管理部门",
    RegulatorKind.housing_construction: "住房和城乡建设部门",
}

REGION_CODE = re.compile(r"^[1-9]\d{5}$")


def uscc_problem(value: str) -> str | None:
    """Chinese message explaining why a USCC is invalid, or None when it is valid (GB 32100-2015)."""
    if not isinstance(value, str) or len(value.strip()) != 18:
        return "统一社会信用代码应为18位。"
    try:
        _uscc.validate(value.strip().upper())
    except _StdnumError as exc:
        if isinstance(exc, _uscc.InvalidChecksum):
            return "统一社会信用代码校验位不正确。"
        return "统一社会信用代码格式不正确。"
    return None


def uscc_with_check(first17: str) -> str:
    """Complete a 17-character USCC body with its check character."""
    return first17 + _uscc.calc_check_digit(first17)


def region_level(code: str) -> RegulatorLevel:
    """Province codes end in 0000, city codes in 00, anything else is a county-level code."""
    if code.endswith("0000"):
        return RegulatorLevel.province
    if code.endswith("00"):
        return RegulatorLevel.city
    return RegulatorLevel.county


def jurisdiction_prefix(region_code: str) -> str:
    """The region-code prefix a jurisdiction covers: 44 for 440000, 4403 for 440300."""
    level = region_level(region_code)
    if level is RegulatorLevel.province:
        return region_code[:2]
    if level is RegulatorLevel.city:
        return region_code[:4]
    return region_code


def parent_region_code(code: str) -> str | None:
    """GB/T 2260 parent: county → city (xxxx00), city → province (xx0000)."""
    level = region_level(code)
    if level is RegulatorLevel.province:
        return None
    if level is RegulatorLevel.city:
        return code[:2] + "0000"
    return code[:4] + "00"


def in_jurisdiction(region_code: str, jurisdiction_code: str) -> bool:
    return region_code.startswith(jurisdiction_prefix(jurisdiction_code))


def engagement_active(valid_from: date, valid_to: date, today: date) -> bool:
    """An engagement grants access on every day from valid_from to valid_to inclusive."""
    return valid_from <= today <= valid_to
