"""Bulk onboarding of enterprises and their users from CSV/Excel: all or nothing, row-by-row errors."""

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from anxun.accounts.models import User
from anxun.orgs.models import Enterprise
from tests.factories import next_uscc

HEADER = [
    "企业名称",
    "统一社会信用代码",
    "行政区划代码",
    "行业",
    "规模",
    "主要负责人",
    "主要负责人账号",
    "安全管理员账号",
    "安全管理员姓名",
    "重大危险源",
    "初始密码",
]


def row(name, username, **overrides):
    values = {
        "企业名称": name,
        "统一社会信用代码": next_uscc(),
        "行政区划代码": "330211",
        "行业": "危险化学品",
        "规模": "小型",
        "主要负责人": "张三",
        "主要负责人账号": username,
        "安全管理员账号": f"{username}-aq",
        "安全管理员姓名": "李四",
        "重大危险源": "否",
        "初始密码": "",
    }
    values.update(overrides)
    return [values[h] for h in HEADER]


def csv_bytes(rows):
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    return ("\ufeff" + "\n".join(lines)).encode("utf-8")


def upload(client, headers, filename, content):
    return client.post(
        "/api/v1/enterprises/import",
        data={"file": (io.BytesIO(content), filename)},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_csv_import_creates_enterprises_and_accounts(client, login_as, db):
    rows = [
        row("甬江化工一厂有限公司", "yj-head-1"),
        row("甬江化工二厂有限公司", "yj-head-2", 初始密码="Start-pass-9"),
    ]
    response = upload(client, login_as("regulator-admin"), "企业名单.csv", csv_bytes(rows))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["imported"] == 2
    generated = {c["username"] for c in body["credentials"]}
    assert generated == {"yj-head-1", "yj-head-1-aq"}  # a password given in the sheet is not echoed
    login = client.post(
        "/api/v1/auth/login", json={"username": "yj-head-2", "password": "Start-pass-9"}
    )
    assert login.status_code == 200
    officer = client.post(
        "/api/v1/auth/login", json={"username": "yj-head-2-aq", "password": "Start-pass-9"}
    )
    assert officer.status_code == 200
    roles = {m["role"]["code"] for m in login.get_json()["user"]["memberships"]}
    assert roles == {"head"}


def test_xlsx_import_works_like_csv(client, login_as):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(row("镇海粉体加工有限公司", "ft-head", 行业="粉尘涉爆、工贸其他", 规模="微型"))
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, login_as("regulator-admin"), "list.xlsx", buffer.getvalue())
    assert response.status_code == 201, response.get_json()
    enterprise = response.get_json()["enterprises"][0]
    assert [i["code"] for i in enterprise["industries"]] == ["dust_explosion", "industry_trade"]


def test_one_bad_row_rejects_the_whole_file_with_a_report(client, login_as, db):
    enterprises_before = db.session.scalar(select(func.count(Enterprise.id)))
    users_before = db.session.scalar(select(func.count(User.id)))
    rows = [
        row("正常企业有限公司", "ok-head"),
        row("错误企业有限公司", "bad-head", 统一社会信用代码="91330211MA2H3K5L08", 规模="超大"),
        row("重复账号有限公司", "ok-head"),
        row("已有账号有限公司", "head-hc"),
    ]
    response = upload(client, login_as("regulator-admin"), "x.csv", csv_bytes(rows))
    assert response.status_code == 422
    body = response.get_json()
    assert body["detail"] == "共 5 处错误，未导入任何数据。"
    report = {(e["row"], e["field"]): e["message"] for e in body["errors"]}
    assert report == {
        (3, "rows.3.size_class"): "第 3 行：规模应为 大型/中型/小型/微型。",
        (3, "rows.3.uscc"): "第 3 行：统一社会信用代码校验位不正确。",
        (4, "rows.4.head_username"): "第 4 行：与第 2 行重复。",
        (4, "rows.4.officer_username"): "第 4 行：与第 2 行重复。",
        (5, "rows.5.head_username"): "第 5 行：账号“head-hc”已存在。",
    }
    assert db.session.scalar(select(func.count(Enterprise.id))) == enterprises_before
    assert db.session.scalar(select(func.count(User.id))) == users_before


def test_rows_outside_the_jurisdiction_are_reported(client, login_as):
    rows = [row("建筑公司有限公司", "jz-head", 行业="房屋市政工程")]
    response = upload(client, login_as("regulator-admin"), "x.csv", csv_bytes(rows))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["message"] == "第 2 行：不在本部门辖区或监管行业内。"


def test_unreadable_files_are_explained(client, login_as):
    headers = login_as("regulator-admin")
    wrong_type = upload(client, headers, "list.pdf", b"%PDF-1.4")
    assert wrong_type.status_code == 422
    assert wrong_type.get_json()["detail"] == "只支持 .xlsx 或 .csv 文件。"
    missing_columns = upload(client, headers, "list.csv", "企业名称\n甲公司\n".encode())
    assert missing_columns.status_code == 422
    assert missing_columns.get_json()["detail"].startswith("缺少列：统一社会信用代码")


def test_enterprise_staff_cannot_import(client, login_as):
    response = upload(
        client, login_as("head-hc"), "x.csv", csv_bytes([row("某公司有限公司", "x-head")])
    )
    assert response.status_code == 403
    assert response.get_json()["detail"] == "只有监管部门管理员或平台管理员可以批量导入企业。"
