"""Official document numbers (文书编号) and the 机关代字 of a bureau, shared by orders, listings and
enterprises' rectification notices."""

import pytest

from anxun.oversight.numbering import (
    document_number,
    document_prefix,
    next_in_series,
    office_abbreviation,
    split_division,
)


def test_document_number_is_prefix_then_sequence():
    assert document_prefix("澄化", "隐改", 2026) == "澄化隐改〔2026〕"
    assert document_number("澄化", "隐改", 2026, 12) == "澄化隐改〔2026〕12号"
    with pytest.raises(ValueError):
        document_number("澄化", "隐改", 2026, 0)


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([], 1),
        (["镇应急督〔2026〕1号", "镇应急督〔2026〕9号", "镇应急督〔2026〕10号"], 11),
        (["镇应急责改〔2026〕5号", "镇应急督〔2025〕3号"], 1),
        (["镇应急督〔2026〕一号", "镇应急督〔2026〕2"], 1),
    ],
)
def test_next_in_series_counts_only_numbers_under_the_prefix(existing, expected):
    assert next_in_series(existing, "镇应急督〔2026〕") == expected


def test_split_division_takes_the_smallest_division():
    assert split_division("宁波市镇海区应急管理局") == ("镇海区", "应急管理局")
    assert split_division("应急管理部") == ("", "应急管理部")


@pytest.mark.parametrize(
    ("name", "abbreviation"),
    [
        ("宁波市镇海区应急管理局", "镇应急"),
        ("宁波市镇海区住房和城乡建设局", "镇住建"),
        ("宁波市镇海区市场监督管理局", "镇市监"),
        ("浙江省应急管理厅", "浙应急"),
        ("杭州市应急管理局", "杭应急"),
        ("宁波市应急管理局", "宁应急"),
        ("象山县应急管理局", "象应急"),
        ("广西壮族自治区应急管理厅", "广应急"),
        ("甘孜藏族自治州应急管理局", "甘应急"),
        ("应急管理部", "应急"),
        ("宁波市镇海区交通运输局", "镇交通"),
    ],
)
def test_office_abbreviation_is_division_initial_plus_bureau_word(name, abbreviation):
    assert office_abbreviation(name) == abbreviation


def test_office_abbreviation_needs_a_name():
    with pytest.raises(ValueError):
        office_abbreviation("  ")
