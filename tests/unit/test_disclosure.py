"""Pure disclosure rules: phone and ID numbers in published texts are found and masked."""

import pytest

from anxun.core import disclosure


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("储罐区可燃气体报警失效", None),
        ("督办期限2026年12月25日，涉及3个储罐", None),
        ("须于2026-12-25前完成，复查日期2026/01/05", None),
        ("2026-11-25T03:00:00+00:00", None),
        ("联系电话13805740101", "电话"),
        ("联系电话 138 0574 0101", "电话"),
        ("值班电话0574-86221234", "电话"),
        ("电话８６２２１２３４", "电话"),
        ("2026-12-25 联系13805740101", "电话"),
        ("身份证330211198001011234", "身份证"),
        ("身份证33021119800101123X", "身份证"),
    ],
)
def test_personal_data_in_public_text(text, problem):
    problems = disclosure.personal_data_problems(text)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("张三 13805740101 身份证330211199001011234", "张三 *********** 身份证******************"),
        ("值班电话0574-86221234", "值班电话*************"),
        ("电话８６２２１２３４", "电话********"),
        ("须于2026-12-25前完成", "须于2026-12-25前完成"),
        ("镇应急督〔2026〕1号", "镇应急督〔2026〕1号"),
    ],
)
def test_mask_replaces_each_phone_or_id_run(text, masked):
    assert disclosure.mask(text) == masked


def test_scrub_masks_every_string_of_an_answer_and_keeps_other_values():
    answer = [{"name": "甲 13805740101", "count": 13805740101, "items": ["0574-86221234", None]}]
    assert disclosure.scrub(answer) == [
        {"name": "甲 ***********", "count": 13805740101, "items": ["*************", None]}
    ]
