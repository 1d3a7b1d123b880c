"""Legal basis on paper: full name and number always, the article only where verified (issue #13)."""

import pytest

from anxun.checklists.citations import paper_citation, paper_citations, paper_guidance

DOCUMENTS = {
    "MEM13": {"title": "工贸企业有限空间作业安全规定", "number": "应急管理部令第13号"},
    "GBZ2.1": {
        "title": "工作场所有害因素职业接触限值 第1部分：化学有害因素",
        "number": "GBZ 2.1-2019",
        "verify": "pending",
    },
    "LAW": {"title": "中华人民共和国安全生产法"},
}


@pytest.mark.parametrize(
    ("ref", "printed"),
    [
        # Verified clause of a verified document: name, number and article.
        (
            {"doc": "MEM13", "clause": "第九条"},
            "《工贸企业有限空间作业安全规定》（应急管理部令第13号）第九条",
        ),
        # The clause itself is pending: the document's full name and number only.
        (
            {"doc": "MEM13", "clause": "第十四条（先通风、再检测、后作业）", "verify": "pending"},
            "《工贸企业有限空间作业安全规定》（应急管理部令第13号）",
        ),
        # The document is pending: none of its articles is printed.
        (
            {"doc": "GBZ2.1", "clause": "表1 硫化氢 MAC"},
            "《工作场所有害因素职业接触限值 第1部分：化学有害因素》（GBZ 2.1-2019）",
        ),
        # A document without a number.
        ({"doc": "LAW", "clause": "第六十五条"}, "《中华人民共和国安全生产法》第六十五条"),
        # Not in the checklist's list (a regulator typed it): printed as written.
        (
            {"doc": "《中华人民共和国安全生产法》", "clause": "第六十五条"},
            "《中华人民共和国安全生产法》第六十五条",
        ),
        ({"doc": "MEM13", "clause": ""}, "《工贸企业有限空间作业安全规定》（应急管理部令第13号）"),
    ],
)
def test_a_reference_prints_its_article_only_where_verified(ref, printed):
    assert paper_citation(ref, DOCUMENTS) == printed
    assert "待核实" not in paper_citation(ref, DOCUMENTS)


def test_pending_clauses_of_one_document_print_the_document_once():
    refs = [
        {"doc": "GBZ2.1", "clause": "表1 氨"},
        {"doc": "GBZ2.1", "clause": "表1 一氧化碳"},
        {"doc": "MEM13", "clause": "第九条"},
    ]
    assert paper_citations(refs, DOCUMENTS) == [
        "《工作场所有害因素职业接触限值 第1部分：化学有害因素》（GBZ 2.1-2019）",
        "《工贸企业有限空间作业安全规定》（应急管理部令第13号）第九条",
    ]


@pytest.mark.parametrize(
    ("guidance", "printed"),
    [
        # The unverified sentence goes; the sentences around it stay (hazardous-chemicals.yaml).
        (
            "查校验报告、铅封和根部阀开度。安全阀一般每年校验一次（周期待核实）。"
            "安全附件未正常投用属重大事故隐患，见 HC-MAJ-15。",
            "查校验报告、铅封和根部阀开度。安全附件未正常投用属重大事故隐患，见 HC-MAJ-15。",
        ),
        # A clause (；) before the remark stands on its own; the rest of the sentence goes.
        (
            "记录探测器在线率（%）和最近校准日期；检定周期一般不超过 1 年（依据 JJG 693，待核实）。",
            "记录探测器在线率（%）和最近校准日期。",
        ),
        # The remark heads a list of values: every clause after it depends on it.
        (
            "参考限值（mg/m³，待核）：氯气 MAC 1；二氧化硫 PC-TWA 5、PC-STEL 10。按物质选择检测项目。",
            "按物质选择检测项目。",
        ),
        ("记录本季度排查次数。包保责任人现场公示要求未核实。", "记录本季度排查次数。"),
        # Nothing verified left: no guidance at all.
        ("检测周期按现行防雷装置检测规定确定（待核）。", ""),
        # Verified guidance is printed as written (询问核实 is an instruction, not a remark).
        ("结合天气预报和作业记录询问核实。", "结合天气预报和作业记录询问核实。"),
        ("记录实测值", "记录实测值"),
        ("", ""),
    ],
)
def test_guidance_prints_without_unverified_sentences(guidance, printed):
    assert paper_guidance(guidance) == printed
