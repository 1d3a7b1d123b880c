"""Pure listing rules: the listing number and personal data in summaries."""

import pytest

from anxun.oversight import listing_rules as rules


def test_listing_number_follows_the_document_number_form():
    assert rules.listing_number("镇应急", 2026, 1) == "镇应急督〔2026〕1号"
    assert rules.listing_number("镇应急", 2027, 12) == "镇应急督〔2027〕12号"
    with pytest.raises(ValueError):
        rules.listing_number("镇应急", 2026, 0)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("储罐区可燃气体报警失效", None),
        ("督办期限2026年12月25日，涉及3个储罐", None),
        ("联系电话13805740101", "电话"),
        ("联系电话 138 0574 0101", "电话"),
        ("值班电话0574-86221234", "电话"),
        ("电话８６２２１２３４", "电话"),
        ("身份证330211198001011234", "身份证"),
        ("身份证33021119800101123X", "身份证"),
    ],
)
def test_personal_data_in_public_text(text, problem):
    problems = rules.personal_data_problems(text)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0]
