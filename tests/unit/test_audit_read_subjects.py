"""The read log says what an auditor read in words, not as an HTTP request (issue #13)."""

from __future__ import annotations

import pytest

from anxun.audits.read_subjects import read_subject


@pytest.mark.parametrize(
    ("method", "path", "shown"),
    [
        ("GET", "/api/v1/enterprises/3/hazard-ledger.pdf", "下载 隐患台账（PDF）"),
        (
            "GET",
            "/api/v1/enterprises/3/risk-register.xlsx?year=2026",
            "下载 风险分级管控清单（Excel）",
        ),
        ("GET", "/api/v1/hazards/5b0c/transitions", "查看 隐患流转记录"),
        ("GET", "/api/v1/hazards?enterprise_id=3&state=reported", "查看 隐患"),
        ("GET", "/api/v1/oversight/enterprises/3/inspections", "查看 排查记录"),
        ("GET", "/api/v1/media/9f1e/thumb", "查看 照片"),
        ("GET", "/api/v1/site-plans/4/map.png", "下载 风险四色分布图（图片）"),
        ("POST", "/api/v1/audit-runs/7/findings", "操作 审核记录"),
        ("GET", "/api/v1/somewhere/new", "查看 企业数据"),
    ],
)
def test_a_logged_request_reads_as_words(method, path, shown):
    assert read_subject(method, path) == shown


def test_no_code_or_path_reaches_the_words():
    shown = read_subject("GET", "/api/v1/enterprises/3/hazard-statistics")
    assert "/" not in shown and "GET" not in shown and "3" not in shown
