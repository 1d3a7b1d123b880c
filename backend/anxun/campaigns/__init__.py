"""Campaigns (专项整治/大检查): a bureau asks its enterprises to check the same items by a date."""
