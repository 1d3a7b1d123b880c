"""Basis for field users and the pending-verification report (issue #13: legal basis shown honestly)."""

from pathlib import Path

from anxun.checklists.loader import load_checklist
from anxun.checklists.verification import (
    item_citations,
    pending_count,
    pending_report,
    people_citations,
)

DOCUMENTS = {
    "MEM13": {"title": "工贸企业有限空间作业安全规定", "number": "应急管理部令第13号"},
    "GBZ2.1": {
        "title": "工作场所有害因素职业接触限值 第1部分：化学有害因素",
        "number": "GBZ 2.1-2019",
        "verify": "pending",
    },
}
MEM13 = "《工贸企业有限空间作业安全规定》（应急管理部令第13号）"
GBZ = "《工作场所有害因素职业接触限值 第1部分：化学有害因素》（GBZ 2.1-2019）"

CHECKLIST = {
    "basis": [
        {"code": "MEM13", **DOCUMENTS["MEM13"]},
        {"code": "GBZ2.1", **DOCUMENTS["GBZ2.1"]},
        {"code": "LAW", "title": "中华人民共和国安全生产法"},
    ],
    "sections": [
        {
            "id": "a",
            "items": [
                {"id": "CS-01", "basis": [{"doc": "MEM13", "clause": "第九条"}]},
                {
                    "id": "CS-02",
                    "basis": [{"doc": "MEM13", "clause": "第十四条", "verify": "pending"}],
                },
                {
                    "id": "CS-03",
                    "verify": "pending",
                    "basis": [
                        {"doc": "GBZ2.1", "clause": "表1 氨"},
                        {"doc": "LAW", "clause": "第六十五条"},
                    ],
                },
                {"id": "CS-04", "basis": []},
            ],
        }
    ],
}


def test_field_users_see_the_article_only_where_verified_and_a_flag_where_one_waits():
    assert people_citations([{"doc": "MEM13", "clause": "第九条"}], DOCUMENTS) == [
        {"text": f"{MEM13}第九条", "is_clause_pending": False}
    ]
    pending = people_citations(
        [{"doc": "MEM13", "clause": "第十四条（先通风）", "verify": "pending"}], DOCUMENTS
    )
    assert pending == [{"text": MEM13, "is_clause_pending": True}]
    # A document awaiting verification holds back every article cited from it.
    assert people_citations([{"doc": "GBZ2.1", "clause": "表1 氨"}], DOCUMENTS) == [
        {"text": GBZ, "is_clause_pending": True}
    ]
    # No article cited: nothing is waiting.
    assert people_citations([{"doc": "MEM13", "clause": ""}], DOCUMENTS) == [
        {"text": MEM13, "is_clause_pending": False}
    ]


def test_two_held_back_articles_of_one_document_show_as_one_line():
    refs = [{"doc": "GBZ2.1", "clause": "表1 氨"}, {"doc": "GBZ2.1", "clause": "表1 一氧化碳"}]
    assert people_citations(refs, DOCUMENTS) == [{"text": GBZ, "is_clause_pending": True}]


def test_item_citations_cover_every_item_by_id():
    citations = item_citations(CHECKLIST)
    assert list(citations) == ["CS-01", "CS-02", "CS-03", "CS-04"]
    assert citations["CS-03"] == [
        {"text": GBZ, "is_clause_pending": True},
        {"text": "《中华人民共和国安全生产法》第六十五条", "is_clause_pending": False},
    ]
    assert citations["CS-04"] == []


def test_the_pending_report_groups_by_document_with_reason_and_field():
    report = pending_report(CHECKLIST)
    assert [group["doc"] for group in report] == ["MEM13", "GBZ2.1", None]
    mem13, gbz, items = report
    assert mem13["is_document_pending"] is False
    assert mem13["entries"] == [
        {
            "item_id": "CS-02",
            "clause": "第十四条",
            "reason": "clause",
            "field": "sections[0].items[1].basis[0].verify",
        }
    ]
    assert gbz["name"] == GBZ
    assert gbz["is_document_pending"] is True
    assert gbz["field"] == "basis[1].verify"
    assert [(e["item_id"], e["clause"], e["reason"]) for e in gbz["entries"]] == [
        ("CS-03", "表1 氨", "clause_of_pending_document")
    ]
    assert items["name"] == "检查项内容"
    assert [(e["item_id"], e["reason"], e["field"]) for e in items["entries"]] == [
        ("CS-03", "item", "sections[0].items[2].verify")
    ]
    # GBZ2.1 itself, its held-back article, the MEM13 article, the CS-03 text.
    assert pending_count(report) == 4


def test_a_fully_verified_checklist_has_nothing_pending():
    verified = {
        "basis": [{"code": "MEM13", **DOCUMENTS["MEM13"]}],
        "sections": [{"id": "a", "items": [CHECKLIST["sections"][0]["items"][0]]}],
    }
    assert pending_report(verified) == []


def test_every_pending_mark_of_the_shipped_checklists_is_in_the_report():
    folder = Path(__file__).resolve().parents[2] / "checklists"
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        report = pending_report(load_checklist(text, path.name))
        marks = sum(
            1
            for line in text.splitlines()
            if line.strip().split("#")[0].find("verify: pending") >= 0
        )
        reported_marks = sum(
            int(group["is_document_pending"])
            + sum(1 for e in group["entries"] if e["reason"] in ("clause", "item"))
            for group in report
        )
        assert reported_marks == marks, path.name
