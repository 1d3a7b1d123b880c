"""PostgreSQL plans every statement for its values: no psycopg server-side prepares (whose
generic plans made the overview's totals 25 times slower after ten requests, issue #18)."""

from anxun.config import build_config, custom_plans


def test_postgresql_connections_do_not_prepare_statements():
    config = build_config({"SQLALCHEMY_DATABASE_URI": "postgresql://u@h/db"})
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"prepare_threshold": None}


def test_sqlite_and_explicit_connect_args_are_left_alone(tmp_path):
    config = build_config({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    # SQLite's only connect argument is its queueing connection class (core/db.QueuedConnection).
    assert "prepare_threshold" not in config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]
    options = custom_plans({"connect_args": {"prepare_threshold": 3}})
    assert options["connect_args"] == {"prepare_threshold": 3}
