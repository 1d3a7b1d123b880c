"""Read helpers for users: views with organisation names, staff lists."""

from sqlalchemy import select

from anxun.accounts.models import Membership, User
from anxun.core.errors import NotFound
from anxun.extensions import db
from anxun.orgs.models import Agency, Enterprise, Regulator


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在。")
    return user


def _organisation_name(m: Membership) -> str | None:
    if m.enterprise_id:
        return db.session.get(Enterprise, m.enterprise_id).name
    if m.regulator_id:
        return db.session.get(Regulator, m.regulator_id).name
    if m.agency_id:
        return db.session.get(Agency, m.agency_id).name
    return None


def user_view(user: User) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "phone": user.phone,
        "display_name": user.display_name,
        "enforcement_certificate_no": user.enforcement_certificate_no,
        "is_active": user.is_active,
        "must_change_password": user.must_change_password,
        "memberships": [
            {
                "id": m.id,
                "role": m.role,
                "enterprise_id": m.enterprise_id,
                "regulator_id": m.regulator_id,
                "agency_id": m.agency_id,
                "organisation_name": _organisation_name(m),
            }
            for m in user.memberships
        ],
    }


def enterprise_staff(enterprise_id: int) -> list[User]:
    return db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.enterprise_id == enterprise_id)
        .distinct()
        .order_by(User.id)
    ).all()


def staff_member(enterprise_id: int, user_id: int) -> User:
    user = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.enterprise_id == enterprise_id, User.id == user_id)
    )
    if user is None:
        raise NotFound("该企业没有这个人员。")
    return user


def active_member_ids(
    roles, *, enterprise_id: int | None = None, regulator_id: int | None = None
) -> list[int]:
    """Active users holding one of `roles` in the enterprise (or the regulator), by id."""
    if (enterprise_id is None) == (regulator_id is None):
        raise ValueError("name exactly one of enterprise_id and regulator_id")
    organisation = (
        Membership.enterprise_id == enterprise_id
        if enterprise_id is not None
        else Membership.regulator_id == regulator_id
    )
    return list(
        db.session.scalars(
            select(User.id)
            .join(Membership, Membership.user_id == User.id)
            .where(organisation, Membership.role.in_(sorted(roles)), User.is_active.is_(True))
            .distinct()
            .order_by(User.id)
        )
    )
