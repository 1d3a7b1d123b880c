"""Login timing: an unknown username must cost what a wrong password costs (no enumeration).

    .venv/bin/python bench/login_timing.py -n 20

Builds a temporary SQLite app with the production argon2 cost (config DEFAULTS), creates one
user, and times POST /api/v1/auth/login for a wrong password, an unknown username and the right
password, each from its own client address (so the throttle never answers first). Prints the
medians; exits 1 when the unknown-user median differs from the wrong-password median by more
than the given tolerance (default 25 %).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="logins per case")
    parser.add_argument("--tolerance", type=float, default=0.25)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from anxun.accounts import services
    from anxun.app import create_app
    from anxun.core.auth import SYSTEM
    from anxun.core.uow import unit_of_work

    folder = Path(tempfile.mkdtemp(prefix="anxun-login-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "INSTANCE_PATH": str(folder),
            "ANXUN_DISPATCH_MODE": "off",
        }
    )
    with app.app_context():
        upgrade()
        with unit_of_work():
            services.create_user(
                SYSTEM,
                {"username": "bench-user", "display_name": "测试", "password": "right-password-1"},
                [],
            )
    client = app.test_client()
    addresses = iter(f"10.{i // 65536}.{i // 256 % 256}.{i % 256}" for i in range(1, 10**6))

    def timed(username: str, password: str, expected: int) -> float:
        start = time.perf_counter()
        response = client.post(
            "/api/v1/auth/login",
            json={"username": username, "password": password},
            environ_base={"REMOTE_ADDR": next(addresses)},
        )
        elapsed = time.perf_counter() - start
        assert response.status_code == expected, response.get_json()
        return elapsed * 1000

    cases = {
        "wrong password": ("bench-user", "wrong-password", 401),
        "unknown user": ("nobody-at-all", "wrong-password", 401),
        "right password": ("bench-user", "right-password-1", 200),
    }
    timed(*cases["wrong password"])  # warm-up: first hash, imports
    # Interleaved, so a busy machine slows every case alike.
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.n):
        for name, case in cases.items():
            samples[name].append(timed(*case))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, median in medians.items():
        print(f"{name:15} median {median:7.1f} ms  (n={args.n})")
    ratio = medians["unknown user"] / medians["wrong password"]
    print(f"unknown / wrong = {ratio:.2f}")
    return 0 if abs(ratio - 1) <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
