"""Read helpers for the web area: the health check's database round trip."""

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from anxun.extensions import db


def database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False
