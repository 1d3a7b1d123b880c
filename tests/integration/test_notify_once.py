"""notify() writes one notification per person and key in one statement: people who already have
the key are skipped, also for a key longer than the stored 120 characters (issue #18)."""

from sqlalchemy import func, select

from anxun.notifications.models import Notification
from anxun.notifications.services import notify


def _count(db, key):
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.dedupe_key == key)
    )


def test_each_person_is_notified_once_per_key(db, world):
    officer, head = world["users"]["officer-hc"], world["users"]["head-hc"]
    enterprise = world["enterprise"]["hc"]
    first = notify([officer, officer, None], enterprise, "assigned", None, "标题", "正文", "k:1")
    assert [n.user_id for n in first] == [officer]
    assert first[0].id is not None and first[0].title == "标题"
    again = notify([officer, head], enterprise, "assigned", None, "标题", "正文", "k:1")
    assert [n.user_id for n in again] == [head]
    db.session.commit()
    assert _count(db, "k:1") == 2


def test_a_long_key_is_cut_and_still_notifies_once(db, world):
    officer = world["users"]["officer-hc"]
    key = "permit-reanalysis:" + "x" * 200
    assert len(notify([officer], world["enterprise"]["hc"], "assigned", None, "t", "", key)) == 1
    assert notify([officer], world["enterprise"]["hc"], "assigned", None, "t", "", key) == []
    db.session.commit()
    assert _count(db, key[:120]) == 1
