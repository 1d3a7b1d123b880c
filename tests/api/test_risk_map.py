"""Site plans, the four-colour risk map (PNG/PDF), risk notification cards and the register PDF."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from PIL import Image
from sqlalchemy import func, select

from anxun.core.audit import AuditEntry
from anxun.risk.models import ControlMeasure, MapShape, RiskEvent, SitePlan
from tests.factories_riskmap import make_media, make_open_hazard, make_place, make_unit

RED = (0xE6, 0x00, 0x12)
YELLOW = (0xFF, 0xF1, 0x00)
GREY = (0x9E, 0x9E, 0x9E)
WHITE = (255, 255, 255)
# Half-transparent fills over white paper (alpha 128/255), by hand per channel as
# 255·127/255 + colour·128/255: blue (0, 104, 183) → (127, 179, 219); orange (243, 152, 0) →
# (249, 203, 127).
BLUE_AREA = (127, 179, 219)
ORANGE_AREA = (249, 203, 127)
SQUARE = [[200, 150], [350, 150], [350, 250], [200, 250]]
TANK_AREA = [[150, 20], [380, 20], [380, 120], [150, 120]]


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def close(actual, expected, tolerance=2):
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


@pytest.fixture
def media_dir(app, tmp_path):
    app.config["ANXUN_MEDIA_DIR"] = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def officer(login_as):
    return login_as("officer-hc")


@pytest.fixture
def scene(db, world, media_dir):
    """hc with a 400×300 white plan and: a red unit, a blue unit, a blue unit with an open
    hazard, a tank place holding an orange and a yellow unit, a place without units."""
    hc, officer_id = world["enterprise"]["hc"], world["users"]["officer-hc"]
    media = make_media(hc, officer_id)
    tank = make_place(hc, "液氨罐区")
    switch_room = make_place(hc, "配电室")
    tank_measures = (
        ("engineering", "1-4", "储罐设置液位高低报警并联锁切断进料"),
        ("maintenance", "2-2", "每月检查储罐呼吸阀"),
        ("operation", "3-2", "按规程记录液位与压力"),
        ("emergency", "4-2", "罐区配备正压式空气呼吸器两套"),
    )
    ids = {
        "hc": hc,
        "media": str(media.id),
        "tank": tank.id,
        "tank_token": tank.qr_token,
        "switch_room": switch_room.id,
        "red": make_unit(hc, officer_id, "red", name="氯气钢瓶库").id,
        "blue": make_unit(hc, officer_id, "blue", name="成品仓库").id,
        "tank_1": make_unit(
            hc,
            officer_id,
            "orange",
            name="1号液氨储罐",
            place_id=tank.id,
            measures=tank_measures,
            event_name="液氨泄漏引发中毒",
            consequence="液氨泄漏致人员中毒窒息",
            object_name="液氨储罐区",
        ).id,
        "tank_2": make_unit(hc, officer_id, "yellow", name="2号液氨储罐", place_id=tank.id).id,
    }
    pump = make_unit(hc, officer_id, "blue", name="循环水泵房")
    ids["pump"] = pump.id
    ids["pump_hazard"] = make_open_hazard(pump, officer_id, title="泵房地沟积水未清").id
    db.session.commit()
    return ids


def create_plan(client, headers, scene, **body):
    payload = {"title": "厂区总平面图", "media_id": scene["media"], **body}
    return client.post(
        f"/api/v1/enterprises/{scene['hc']}/site-plans", json=payload, headers=headers
    )


def scene_shapes(scene):
    return [
        {"target_type": "risk_unit", "target_id": scene["red"], "shape": "point",
         "points": [[100, 100]], "label": ""},
        {"target_type": "risk_unit", "target_id": scene["blue"], "shape": "polygon",
         "points": SQUARE},
        {"target_type": "risk_unit", "target_id": scene["pump"], "shape": "point",
         "points": [[60, 250]], "label": "泵房"},
        {"target_type": "place", "target_id": scene["tank"], "shape": "polygon",
         "points": TANK_AREA},
        {"target_type": "place", "target_id": scene["switch_room"], "shape": "point",
         "points": [[380, 280]]},
    ]  # fmt: skip


@pytest.fixture
def drawn_plan(client, officer, scene):
    plan_id = create_plan(client, officer, scene).get_json()["id"]
    response = client.put(
        f"/api/v1/site-plans/{plan_id}/shapes",
        json={"shapes": scene_shapes(scene)},
        headers=officer,
    )
    assert response.status_code == 200, response.get_json()
    return plan_id


def target_of(shape: dict) -> tuple[str, int]:
    return shape["target_type"]["code"], shape["target_id"]


def png_at(client, headers, plan_id):
    response = client.get(f"/api/v1/site-plans/{plan_id}/map.png", headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "image/png"
    return Image.open(io.BytesIO(response.data)).convert("RGB")


def pdf_text(data: bytes, tmp_path, name="out.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    # Table cells wrap names over lines; compare without any whitespace. List bullets come out as
    # "•" or "·" depending on the font (the serif body face gives "•").
    return "".join(text.decode().split()).replace("•", "·")


def pdf_facts(data: bytes, tmp_path, name="out.pdf") -> tuple[str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout
    return fonts.decode(), info.decode()


def assert_cjk_embedded(fonts: str):
    cjk = [line for line in fonts.splitlines() if "CJK" in line.split()[0]]
    assert cjk, fonts
    # pdffonts columns: name type encoding emb sub uni object ID
    assert all(line.split()[-5] == "yes" for line in cjk), fonts


def page_size(info: str) -> tuple[float, float]:
    line = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, _, height = line.split(":", 1)[1].split()[:3]
    return float(width), float(height)


# --- site plans ----------------------------------------------------------------------------------


def test_officer_registers_an_uploaded_image_as_a_site_plan(client, officer, scene, db):
    audits = count(db, AuditEntry)
    response = create_plan(client, officer, scene, title="  厂区总平面图 ")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["title"] == "厂区总平面图"
    assert (body["width"], body["height"], body["media_id"]) == (400, 300, scene["media"])
    assert body["image_url"] == f"/api/v1/media/{scene['media']}"
    assert body["map_png_url"] == f"/api/v1/site-plans/{body['id']}/map.png"
    assert count(db, AuditEntry) == audits + 1
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert (entry.action, entry.entity_type, entry.entity_id) == (
        "create_site_plan",
        "site_plan",
        str(body["id"]),
    )

    listed = client.get(f"/api/v1/enterprises/{scene['hc']}/site-plans", headers=officer)
    assert listed.status_code == 200
    assert [p["id"] for p in listed.get_json()["items"]] == [body["id"]]
    assert listed.get_json()["next_cursor"] is None


def test_site_plan_list_pages_by_title(client, officer, scene):
    for title in ("乙 仓储区", "甲 生产区", "丙 办公区"):
        assert create_plan(client, officer, scene, title=title).status_code == 201
    url = f"/api/v1/enterprises/{scene['hc']}/site-plans?sort=title&limit=2"
    first = client.get(url, headers=officer).get_json()
    second = client.get(f"{url}&cursor={first['next_cursor']}", headers=officer).get_json()
    titles = [p["title"] for p in first["items"] + second["items"]]
    assert titles == sorted(["乙 仓储区", "甲 生产区", "丙 办公区"])
    assert second["next_cursor"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"media_id": "00000000-0000-4000-8000-000000000000"}, "media_id"),
        ({"media_id": "not-a-uuid"}, "media_id"),
        ({"title": "   "}, "title"),
        ({"title": ""}, "title"),
        ({"title": "图" * 121}, "title"),
        ({"width": 800}, "width"),
    ],
)
def test_bad_site_plans_are_refused_and_nothing_is_written(client, officer, scene, db, body, field):
    audits = count(db, AuditEntry)
    response = create_plan(client, officer, scene, **body)
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    assert [e["field"] for e in response.get_json()["errors"]] == [field]
    assert count(db, SitePlan) == 0
    assert count(db, AuditEntry) == audits


def test_an_image_of_another_enterprise_cannot_be_a_site_plan(client, login_as, scene, db, world):
    other = make_media(world["enterprise"]["dust"], world["users"]["officer-dust"])
    db.session.commit()
    response = create_plan(client, login_as("officer-hc"), scene, media_id=str(other.id))
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "media_id", "message": "平面图图片不存在或不属于该企业，请先上传图片。"}
    ]
    assert count(db, SitePlan) == 0


# --- shapes and levels ---------------------------------------------------------------------------


def test_plan_detail_gives_each_shape_its_current_level(client, officer, scene, drawn_plan):
    response = client.get(f"/api/v1/site-plans/{drawn_plan}", headers=officer)
    assert response.status_code == 200
    body = response.get_json()
    got = {
        (s["target_type"]["code"], s["target_id"]): (
            s["label"],
            s["level"] and s["level"]["code"],
            s["level"] and s["level"]["label"],
            s["colour"],
            s["assessed_level"] and s["assessed_level"]["code"],
            s["raised"],
            s["open_hazards"],
        )
        for s in body["shapes"]
    }
    assert got == {
        ("risk_unit", scene["red"]): ("氯气钢瓶库", "red", "重大风险", "#E60012", "red", False, 0),
        ("risk_unit", scene["blue"]): ("成品仓库", "blue", "低风险", "#0068B7", "blue", False, 0),
        # An open hazard on the unit raises blue one step to yellow.
        ("risk_unit", scene["pump"]): ("泵房", "yellow", "一般风险", "#FFF100", "blue", True, 1),
        # A place takes the highest level of the units at it (orange over yellow).
        ("place", scene["tank"]): ("液氨罐区", "orange", "较大风险", "#F39800", "orange", False, 0),
        ("place", scene["switch_room"]): ("配电室", None, None, "#9E9E9E", None, False, 0),
    }
    point = next(s for s in body["shapes"] if target_of(s) == ("risk_unit", scene["red"]))
    assert point["shape"] == {"code": "point", "label": "标记点"}
    assert point["points"] == [[100.0, 100.0]]
    assert [e["label"] for e in body["legend"]] == [
        "重大风险（红）",
        "较大风险（橙）",
        "一般风险（黄）",
        "低风险（蓝）",
        "未评估（灰）",
    ]


def test_map_png_shows_each_target_in_its_colour(client, officer, scene, drawn_plan):
    image = png_at(client, officer, drawn_plan)
    assert image.width == 400 and image.height > 300
    assert image.getpixel((100, 100)) == RED
    assert close(image.getpixel((215, 165)), BLUE_AREA)
    assert close(image.getpixel((335, 240)), BLUE_AREA)
    assert image.getpixel((60, 250)) == YELLOW
    assert close(image.getpixel((165, 35)), ORANGE_AREA)
    assert image.getpixel((380, 280)) == GREY
    assert image.getpixel((30, 30)) == WHITE


def test_a_unit_returns_to_its_assessed_colour_when_its_hazard_closes(
    client, officer, scene, drawn_plan, db
):
    from anxun.hazards.models import Hazard

    assert png_at(client, officer, drawn_plan).getpixel((60, 250)) == YELLOW
    hazard = db.session.get(Hazard, scene["pump_hazard"])
    hazard.state = "closed"
    db.session.commit()
    assert png_at(client, officer, drawn_plan).getpixel((60, 250)) == (0x00, 0x68, 0xB7)


def test_an_open_hazard_on_a_unit_at_a_place_raises_the_place(
    client, officer, scene, drawn_plan, db, world
):
    from anxun.risk.models import RiskUnit

    make_open_hazard(db.session.get(RiskUnit, scene["tank_1"]), world["users"]["officer-hc"])
    db.session.commit()
    body = client.get(f"/api/v1/site-plans/{drawn_plan}", headers=officer).get_json()
    tank = next(s for s in body["shapes"] if target_of(s) == ("place", scene["tank"]))
    assert (tank["level"]["code"], tank["assessed_level"]["code"], tank["raised"]) == (
        "red",
        "orange",
        True,
    )
    image = png_at(client, officer, drawn_plan)
    # Red at alpha 128 over white: 127 + 230·128/255 = 242, 127, 127 + 18·128/255 = 136.
    assert close(image.getpixel((165, 35)), (242, 127, 136))


def test_replacing_shapes_removes_the_old_ones_and_is_audited(
    client, officer, scene, drawn_plan, db
):
    audits = count(db, AuditEntry)
    response = client.put(
        f"/api/v1/site-plans/{drawn_plan}/shapes",
        json={"shapes": [scene_shapes(scene)[0]]},
        headers=officer,
    )
    assert response.status_code == 200
    assert [s["target_id"] for s in response.get_json()["shapes"]] == [scene["red"]]
    assert count(db, MapShape) == 1
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert count(db, AuditEntry) == audits + 1
    assert entry.action == "replace_map_shapes"
    assert (entry.change["removed"], entry.change["added"]) == (5, 1)
    assert entry.change["targets"] == [f"risk_unit:{scene['red']}"]


def test_shapes_of_deleted_units_are_hidden(client, officer, scene, drawn_plan, db):
    from anxun.core import clock
    from anxun.risk.models import RiskUnit

    db.session.get(RiskUnit, scene["red"]).deleted_at = clock.now()
    db.session.commit()
    body = client.get(f"/api/v1/site-plans/{drawn_plan}", headers=officer).get_json()
    assert ("risk_unit", scene["red"]) not in [target_of(s) for s in body["shapes"]]
    assert len(body["shapes"]) == 4
    assert png_at(client, officer, drawn_plan).getpixel((100, 100)) == WHITE


def _unit_shape(scene, **changes):
    shape = {
        "target_type": "risk_unit",
        "target_id": scene["red"],
        "shape": "point",
        "points": [[10, 10]],
    }
    return shape | changes


BAD_SHAPES = [
    ("other enterprise", lambda s, o: [_unit_shape(s, target_id=o["con_unit"])],
     "shapes.0.target_id", "该风险分析单元不存在、已删除或不属于该企业。"),
    ("deleted unit", lambda s, o: [_unit_shape(s, target_id=o["deleted_unit"])],
     "shapes.0.target_id", "该风险分析单元不存在、已删除或不属于该企业。"),
    ("unknown place", lambda s, o: [_unit_shape(s, target_type="place", target_id=999999)],
     "shapes.0.target_id", "该地点不存在、已停用或不属于该企业。"),
    ("inactive place", lambda s, o: [_unit_shape(s, target_type="place", target_id=o["closed"])],
     "shapes.0.target_id", "该地点不存在、已停用或不属于该企业。"),
    ("drawn twice", lambda s, o: [_unit_shape(s), _unit_shape(s, points=[[20, 20]])],
     "shapes.1.target_id", "同一对象在一张平面图上只能标注一次。"),
    ("two points", lambda s, o: [_unit_shape(s, points=[[1, 1], [2, 2]])],
     "shapes.0.points", "标记点应恰好有 1 个点。"),
    ("outside", lambda s, o: [_unit_shape(s, points=[[401, 10]])],
     "shapes.0.points", "第 1 个点超出平面图范围（宽 400、高 300 像素）。"),
    ("polygon of two", lambda s, o: [_unit_shape(s, shape="polygon", points=[[1, 1], [9, 9]])],
     "shapes.0.points", "多边形至少需要 3 个点。"),
    ("text coordinate", lambda s, o: [_unit_shape(s, points=[["10", 10]])],
     "shapes.0.points.0.0", "应为数字。"),
    ("boolean coordinate", lambda s, o: [_unit_shape(s, points=[[True, 10]])],
     "shapes.0.points.0.0", "应为数字。"),
    ("unknown shape", lambda s, o: [_unit_shape(s, shape="circle")],
     "shapes.0.shape", "取值应为以下之一：point, polygon。"),
    ("unknown target type", lambda s, o: [_unit_shape(s, target_type="hazard")],
     "shapes.0.target_type", "取值应为以下之一：place, risk_unit。"),
    ("unknown field", lambda s, o: [_unit_shape(s, colour="red")],
     "shapes.0.colour", "不允许的字段。"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("shapes", "field", "message"),
    [pytest.param(build, field, message, id=name) for name, build, field, message in BAD_SHAPES],
)
def test_bad_shapes_are_refused_and_the_old_ones_stay(
    client, officer, scene, drawn_plan, db, world, shapes, field, message
):
    from anxun.core import clock
    from anxun.inspections.models import Place

    con = world["enterprise"]["con"]
    deleted = make_unit(scene["hc"], world["users"]["officer-hc"], "red")
    deleted.deleted_at = clock.now()
    closed = make_place(scene["hc"], "已拆除的旧库房", is_active=False)
    others = {
        "con_unit": make_unit(con, world["users"]["head-con"], "red").id,
        "deleted_unit": deleted.id,
        "closed": closed.id,
    }
    db.session.commit()
    audits = count(db, AuditEntry)
    response = client.put(
        f"/api/v1/site-plans/{drawn_plan}/shapes",
        json={"shapes": shapes(scene, others)},
        headers=officer,
    )
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    assert response.get_json()["errors"] == [{"field": field, "message": message}]
    assert count(db, MapShape) == 5
    assert count(db, AuditEntry) == audits
    assert db.session.get(Place, closed.id).is_active is False


def test_all_shape_errors_are_reported_together(client, officer, scene, drawn_plan):
    shapes = [
        _unit_shape(scene, target_id=999999, points=[[1, 1], [2, 2]]),
        _unit_shape(scene, target_id=scene["blue"], shape="polygon", points=[[0, 0], [9, 9]]),
    ]
    response = client.put(
        f"/api/v1/site-plans/{drawn_plan}/shapes", json={"shapes": shapes}, headers=officer
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == [
        "shapes.0.target_id",
        "shapes.0.points",
        "shapes.1.points",
    ]


# --- scoping ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "read", "write"),
    [
        ("head-hc", 200, 200),
        ("officer-hc", 200, 200),
        ("rectifier-hc", 200, 403),
        ("auditor", 200, 403),
        ("regulator", 200, 403),
        ("head-con", 404, 404),
        ("regulator-con", 404, 404),
    ],
)
def test_who_may_read_and_draw_a_site_plan(
    client, login_as, scene, drawn_plan, db, user, read, write
):
    headers = login_as(user)
    for url in ("", "/map.png"):
        assert client.get(f"/api/v1/site-plans/{drawn_plan}{url}", headers=headers).status_code == (
            read
        )
    audits = count(db, AuditEntry)
    response = client.put(
        f"/api/v1/site-plans/{drawn_plan}/shapes", json={"shapes": []}, headers=headers
    )
    assert response.status_code == write
    if write != 200:
        assert count(db, MapShape) == 5
        assert count(db, AuditEntry) == audits
    created = create_plan(client, headers, scene)
    assert created.status_code == {200: 201, 403: 403, 404: 404}[write]


def test_unknown_site_plan_and_place_are_404(client, officer, scene):
    assert client.get("/api/v1/site-plans/999999", headers=officer).status_code == 404
    assert client.get("/api/v1/places/999999/risk-card.pdf", headers=officer).status_code == 404


# --- PDFs ---------------------------------------------------------------------------------------


def test_map_pdf_is_a4_landscape_with_chinese_title_legend_and_targets(
    client, officer, scene, drawn_plan, tmp_path
):
    response = client.get(f"/api/v1/site-plans/{drawn_plan}/map.pdf", headers=officer)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    fonts, info = pdf_facts(response.data, tmp_path)
    assert_cjk_embedded(fonts)
    width, height = page_size(info)
    assert (round(width), round(height)) == (842, 595)
    text = pdf_text(response.data, tmp_path)
    for expected in (
        "厂区总平面图",
        "安全风险四色分布图",
        "宁波澄江化工有限公司",
        "风险等级截至",
        "图例",
        "重大风险（红）",
        "较大风险（橙）",
        "一般风险（黄）",
        "低风险（蓝）",
        "未评估（灰）",
        "氯气钢瓶库",
        "成品仓库",
        "液氨罐区",
        "配电室",
        "一般风险（上调）",
        "存在未销号隐患，风险等级临时上调",
    ):
        assert expected in text, expected


def test_risk_card_lists_risks_controls_hazards_and_contacts(
    app, client, officer, scene, db, world, tmp_path, monkeypatch
):
    from anxun.risk.map import queries as map_queries
    from anxun.risk.models import RiskUnit

    make_open_hazard(
        db.session.get(RiskUnit, scene["tank_1"]),
        world["users"]["officer-hc"],
        title="液氨储罐液位计显示失准",
    )
    db.session.commit()
    encoded = []
    real_qr = map_queries._qr_svg
    monkeypatch.setattr(map_queries, "_qr_svg", lambda url: encoded.append(url) or real_qr(url))

    app.config["ANXUN_PUBLIC_BASE_URL"] = "https://anxun.example.cn/app"
    # The QR code names the configured address, never the Host the request came with.
    response = client.get(
        f"/api/v1/places/{scene['tank']}/risk-card.pdf",
        headers={**officer, "Host": "evil.example"},
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert encoded == [f"https://anxun.example.cn/app/#/p/{scene['tank_token']}"]
    fonts, info = pdf_facts(response.data, tmp_path)
    assert_cjk_embedded(fonts)
    text = pdf_text(response.data, tmp_path)
    for expected in (
        "安全风险告知卡",
        "液氨罐区",
        # The tank's orange unit has an open hazard: the place is red for now.
        "风险等级：重大风险（存在未销号隐患，已临时上调）",
        "1号液氨储罐重大风险（评估为较大风险，因未销号隐患临时上调）",
        "2号液氨储罐一般风险",
        "液氨泄漏引发中毒",
        "液氨泄漏致人员中毒窒息",
        "工程技术措施·储罐设置液位高低报警并联锁切断进料",
        "维护保养措施·每月检查储罐呼吸阀",
        "操作行为措施·按规程记录液位与压力",
        "应急措施·罐区配备正压式空气呼吸器两套",
        "责任部门：储运车间",
        "责任人：赵主任",
        "液氨储罐液位计显示失准",
        "整改中",
        "应急电话：13805740102",
        scene["tank_token"],
    ):
        assert expected in text, expected
    # Only the hazards of this place: the pump house's hazard is elsewhere.
    assert "泵房地沟积水未清" not in text


def test_risk_card_of_a_place_without_units_says_so(client, officer, scene, tmp_path):
    response = client.get(f"/api/v1/places/{scene['switch_room']}/risk-card.pdf", headers=officer)
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "风险等级：未评估" in text
    assert "该地点尚未关联风险分析单元" in text
    assert "无未销号隐患" in text


def test_risk_register_pdf_has_a_row_per_event_and_counts_per_level(
    client, officer, scene, db, world, tmp_path
):
    response = client.get(f"/api/v1/enterprises/{scene['hc']}/risk-register.pdf", headers=officer)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    fonts, info = pdf_facts(response.data, tmp_path)
    assert_cjk_embedded(fonts)
    assert page_size(info)[0] > page_size(info)[1]
    text = pdf_text(response.data, tmp_path)
    # Units by current level: red 1 (钢瓶库), orange 1, yellow 2 (2号罐, raised pump), blue 1.
    # Events by assessed level: red 1, orange 1, yellow 1, blue 2.
    assert "风险分析单元（当前等级）11210" in text
    assert "安全风险事件（评估等级）11120" in text
    assert "风险分析对象5个，风险分析单元5个，安全风险事件5个，管控措施4条" in text
    assert "1个单元因未销号隐患风险等级临时上调" in text
    for expected in (
        "安全风险分级管控清单",
        "液氨储罐区",
        "1号液氨储罐",
        "液氨泄漏引发中毒",
        # Accident type (GB 6441), the factors and the score under its symbol.
        "火灾",
        "LSL=1S=1",
        "R=1",
        # Measures under the five kinds; maintenance and operation measures are 管理措施.
        "工程技术措施：1.储罐设置液位高低报警并联锁切断进料",
        "管理措施：1.每月检查储罐呼吸阀；2.按规程记录液位与压力",
        "培训教育措施：无",
        "个体防护措施：无",
        "应急处置措施：1.罐区配备正压式空气呼吸器两套",
        "储运车间",
        "赵主任",
        "班组级",
        "尚未制定管控措施",
        "当前：一般风险↑",
        "编制（签字）",
        "审核（签字）",
        "批准（签字）",
        "日期：年月日",
    ):
        assert expected in text, expected
    rows = db.session.scalar(select(func.count()).select_from(ControlMeasure))
    events = db.session.scalar(select(func.count()).select_from(RiskEvent))
    assert (rows, events) == (4, 5)


def test_risk_register_prints_lec_factors_the_d_value_and_each_measure_kind(
    client, officer, db, world, tmp_path
):
    from anxun.risk.grading.services import assess_risk_event
    from anxun.risk.registry import services as registry
    from tests.factories_hazards import actor

    head = actor("head-hc")
    obj = registry.create_risk_object(head, world["enterprise"]["hc"], {"name": "液氯汽化间"})
    unit = registry.create_risk_unit(head, obj.id, {"name": "汽化器", "department": "生产部"})
    event = registry.create_risk_event(
        head, unit.id, {"name": "液氯泄漏", "accident_types": ["中毒和窒息", "灼烫"]}
    )
    for kind, classify1, classify2, text in (
        ("training", "operation", "3-1", "操作工持证上岗并年度复训"),
        ("ppe", "operation", "3-4", "作业时佩戴防毒面具"),
    ):
        registry.create_control_measure(
            head,
            event.id,
            {"description": text, "kind": kind, "classify1": classify1, "classify2": classify2},
        )
    assess_risk_event(
        head, event.id, {"method": "LEC", "kind": "residual", "L": 3, "E": 6, "C": 15}
    )
    db.session.commit()
    response = client.get(
        f"/api/v1/enterprises/{world['enterprise']['hc']}/risk-register.pdf", headers=officer
    )
    text = pdf_text(response.data, tmp_path)
    for expected in (
        "中毒和窒息、灼烫",
        "LECL=3E=6C=15",
        "D=270",
        "较大风险",
        "培训教育措施：1.操作工持证上岗并年度复训",
        "个体防护措施：1.作业时佩戴防毒面具",
        "工程技术措施：无",
    ):
        assert expected in text, expected


def test_risk_card_shows_the_graded_units_level_and_lifts_it_while_a_hazard_is_open(
    client, officer, db, world, tmp_path
):
    """液氨罐区 with a unit graded by LEC 3×6×15 = 270 (较大) reads 较大风险, not 未评估; an open
    hazard on the unit lifts the card to 重大风险 until it is closed."""
    from anxun.risk.grading.services import assess_risk_event
    from anxun.risk.models import RiskUnit
    from anxun.risk.registry import services as registry
    from tests.factories_hazards import actor

    hc = world["enterprise"]["hc"]
    head = actor("head-hc")
    place = make_place(hc, "液氨罐区")
    obj = registry.create_risk_object(head, hc, {"name": "液氨储存"})
    unit = registry.create_risk_unit(head, obj.id, {"name": "1#液氨储罐", "place_id": place.id})
    event = registry.create_risk_event(head, unit.id, {"name": "储罐泄漏引发中毒"})
    assess_risk_event(
        head, event.id, {"method": "LEC", "kind": "residual", "L": 3, "E": 6, "C": 15}
    )
    db.session.commit()
    url = f"/api/v1/places/{place.id}/risk-card.pdf"
    text = pdf_text(client.get(url, headers=officer).data, tmp_path)
    assert "风险等级：较大风险" in text
    assert "未评估" not in text
    assert "临时上调" not in text

    make_open_hazard(db.session.get(RiskUnit, unit.id), world["users"]["officer-hc"])
    db.session.commit()
    text = pdf_text(client.get(url, headers=officer).data, tmp_path)
    assert "风险等级：重大风险（存在未销号隐患，已临时上调）" in text
    assert "重大风险（评估为较大风险，因未销号隐患临时上调）" in text
    assert "2026年12月31日" in text  # the hazard's deadline, written as formal documents do


@pytest.mark.parametrize(
    ("user", "status"),
    [("officer-hc", 200), ("auditor", 200), ("regulator", 200), ("head-con", 404)],
)
def test_who_may_download_cards_and_registers(client, login_as, scene, user, status):
    headers = login_as(user)
    card = client.get(f"/api/v1/places/{scene['tank']}/risk-card.pdf", headers=headers)
    register = client.get(f"/api/v1/enterprises/{scene['hc']}/risk-register.pdf", headers=headers)
    assert (card.status_code, register.status_code) == (status, status)


def test_new_plan_without_shapes_renders_a_plain_map(client, officer, scene, tmp_path):
    plan_id = create_plan(client, officer, scene).get_json()["id"]
    image = png_at(client, officer, plan_id)
    assert image.getpixel((100, 100)) == WHITE
    pdf = client.get(f"/api/v1/site-plans/{plan_id}/map.pdf", headers=officer)
    assert "平面图上尚未标注地点或风险分析单元" in pdf_text(pdf.data, tmp_path)


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig is not installed")
def test_map_labels_use_the_noto_sans_cjk_sc_face():
    from anxun.risk.map import drawing as riskmap
    from anxun.risk.map.queries import cjk_font

    font = cjk_font()
    assert font is not None
    assert riskmap.load_font(font, 12).getname() == ("Noto Sans CJK SC", "Regular")
