"""Pure listing rules: the listing number (personal data: test_disclosure.py)."""

import pytest

from anxun.oversight.listings import rules


def test_listing_number_follows_the_document_number_form():
    assert rules.listing_number("镇应急", 2026, 1) == "镇应急督〔2026〕1号"
    assert rules.listing_number("镇应急", 2027, 12) == "镇应急督〔2027〕12号"
    with pytest.raises(ValueError):
        rules.listing_number("镇应急", 2026, 0)
