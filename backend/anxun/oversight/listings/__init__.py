"""Supervised listings (挂牌督办) of major hazards and their public disclosure."""
