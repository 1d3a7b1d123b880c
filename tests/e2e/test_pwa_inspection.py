"""Daily inspection on a phone, online: log in, fill a task's checklist, photo, submit, 已同步."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import expect

from tests.e2e.helpers import (
    card,
    fill_with_one_failure,
    first_page,
    fixture_photo,
    login,
    open_task_at,
    screenshot,
    submit_inspection,
)

pytestmark = pytest.mark.e2e


def server_state(live, inspection_id):
    import uuid

    from sqlalchemy import func, select

    from anxun.hazards.models import Hazard
    from anxun.inspections.models import Inspection, Media

    def read(session):
        inspection = session.get(Inspection, uuid.UUID(inspection_id))
        hazards = session.scalars(select(Hazard)).all()
        media = session.scalars(select(Media)).all()
        return {
            "inspections": session.scalar(select(func.count(Inspection.id))),
            "inspection": inspection,
            "answers": {a.item_id: (a.result, a.value, a.media_ids) for a in inspection.answers}
            if inspection
            else {},
            "gps": (inspection.latitude, inspection.longitude, inspection.gps_accuracy)
            if inspection
            else None,
            "hazards": [(h.item_id, h.media_ids, h.state) for h in hazards],
            "media": [(str(m.id), m.width, m.height, m.storage_path) for m in media],
        }

    return live.query(read)


def stored_image(live, storage_path):
    from pathlib import Path

    from anxun.inspections import media

    with live.app.app_context():
        path = Path(storage_path)
        if not path.is_absolute():
            path = media.media_dir() / path
        return Image.open(io.BytesIO(path.read_bytes()))


def test_inspection_with_a_failure_and_photo_reaches_the_server_once(
    live, today, browser, tmp_path
):
    photo = fixture_photo(tmp_path / "site.jpg")
    page = first_page(browser())
    login(page, live.url, "officer-hc")
    page.wait_for_selector("section.place-group")
    expect(page.locator("section.place-group")).to_have_count(3)
    screenshot(page, "01-tasks")

    open_task_at(page, "罐区 T-101 储罐")
    expect(page.locator("article.item")).to_have_count(4)
    page.wait_for_selector("text=已定位")

    # A reading over the limit turns red and counts as a failure without pressing 不合格.
    reading = card(page, "HC-01A").locator("input.reading")
    reading.fill("10")
    expect(reading).to_have_class(re.compile(r"\bout\b"))
    expect(card(page, "HC-01A")).to_have_class(re.compile(r"\bfailed\b"))
    expect(card(page, "HC-01A").locator(".verdict")).to_have_text("读数超出合格范围，判为不合格")
    reading.fill("6")
    expect(card(page, "HC-01A")).not_to_have_class(re.compile(r"\bfailed\b"))

    # The basis is shown on demand: full name and number, the article only where verified, and a
    # 待核实 badge where an article is held back (HC-MAJ-01 cites 第一项 and AQ 3067 5.1.1, both
    # pending; HC-01A cites a verified clause of GB 30871).
    card(page, "HC-MAJ-01").get_by_role("button", name="查看依据").click()
    basis = card(page, "HC-MAJ-01").locator("ul.basis li")
    expect(basis).to_have_text(
        [
            "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》"
            "（安监总管三〔2017〕121号）待核实",
            "《化工和危险化学品生产经营企业重大生产安全事故隐患判定准则》（AQ 3067—2026）待核实",
        ]
    )
    expect(basis.locator(".badge.warn")).to_have_count(2)
    card(page, "HC-01A").get_by_role("button", name="查看依据").click()
    expect(card(page, "HC-01A").locator("ul.basis li")).to_have_text(
        ["《危险化学品企业特殊作业安全规范》（GB 30871—2022）5.1.1~5.1.5"]
    )
    expect(card(page, "HC-01A").locator("ul.basis .badge")).to_have_count(0)

    # Submitting with a failed item and no photo is refused, naming the item.
    card(page, "HC-MAJ-01").get_by_role("button", name="合格", exact=True).click()
    card(page, "HC-MAJ-02").get_by_role("button", name="合格", exact=True).click()
    card(page, "HC-MAJ-03").get_by_role("button", name="不适用", exact=True).click()
    reading.fill("10")
    page.get_by_role("button", name="提交检查记录").click()
    expect(card(page, "HC-01A").locator("p.error")).to_have_text("不合格项须拍照留证")
    expect(page.locator("article.record")).to_have_count(0)

    fill_with_one_failure(page, photo)
    expect(page.locator(".progress-bar")).to_have_text("已答 4 / 4 · 不合格 1")
    card(page, "HC-01A").scroll_into_view_if_needed()
    screenshot(page, "02-checklist")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "03-checklist-tablet")
    page.set_viewport_size({"width": 360, "height": 640})

    inspection_id = submit_inspection(page)
    record = page.locator(f'article.record[data-record-id="{inspection_id}"]')
    record.locator("span.state.synced").wait_for()
    expect(record).to_contain_text("服务器已接收")
    expect(record).to_contain_text("已生成隐患 1 条")
    screenshot(page, "04-records-synced")

    state = server_state(live, inspection_id)
    assert state["inspections"] == 1
    [(media_id, width, height, storage_path)] = state["media"]
    assert state["answers"] == {
        "HC-MAJ-01": ("pass", None, []),
        "HC-MAJ-02": ("pass", None, []),
        "HC-01A": ("fail", 10, [media_id]),
        "HC-MAJ-03": ("na", None, []),
    }
    assert state["hazards"] == [("HC-01A", [media_id], "reported")]
    lat, lon, accuracy = state["gps"]
    assert (round(lat, 5), round(lon, 5), accuracy) == (29.98215, 121.64118, 12)

    # The stored photo was scaled to 1600 px and stamped: its bottom band is dark, with white text.
    assert (width, height) == (1600, 1200)
    image = stored_image(live, storage_path).convert("L")
    assert image.size == (1600, 1200)
    fixture_grey = ImageStat.Stat(Image.open(photo).convert("L").crop((0, 1700, 2400, 1800))).mean[
        0
    ]
    band = image.crop((0, 1150, 1600, 1200))
    assert fixture_grey > 200
    assert ImageStat.Stat(band).mean[0] < fixture_grey - 60
    assert band.getextrema()[1] > 240  # the watermark's white text

    # The task is now done on the server and shown as such.
    page.goto(live.url + "/#/tasks")
    group = page.locator("section.place-group", has_text="罐区 T-101 储罐")
    group.locator("span.badge.ok").wait_for()
