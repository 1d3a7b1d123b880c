"""Pure loader and validator for checklist YAML files; the format is checklists/README.md."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

MAX_BYTES = 1024 * 1024
MAX_ITEMS = 2000
# Nodes after expanding aliases: a full 2000-item checklist needs about a quarter of this, so
# the cap only stops "billion laughs" documents that reuse anchors exponentially.
MAX_NODES = 250_000
SUM_TOLERANCE = 1e-9

INDUSTRIES = (
    "hazardous_chemicals",
    "construction",
    "dust_explosion",
    "confined_space",
    "industry_trade",
    "general",
)
# Kinds of inspection (排查类型) a checklist applies to and a task or an inspection names, with their
# one name on screen and paper; 巡检 as 应急〔2019〕78号 calls the operators' field patrol.
INSPECTION_TYPE_LABELS = {
    "patrol": "巡检",
    "daily": "日常排查",
    "weekly": "周排查",
    "monthly": "月排查",
    "seasonal": "季节性排查",
    "holiday": "节假日排查",
    "comprehensive": "综合性排查",
    "special": "专项排查",
    "responsibility": "包保责任人排查",
}
INSPECTION_TYPES = tuple(INSPECTION_TYPE_LABELS)
BASIS_STATUSES = ("in_force", "repealed", "expired", "not_yet_in_force")
METHODS = ("look", "ask", "measure", "records")
CATEGORIES = ("thing", "behaviour", "management", "environment")
ANSWER_TYPES = ("pass_fail_na", "text", "number", "choice")
SCORING_SCHEMES = ("jgj59-2011",)
SCORING_GROUPS = ("guarantee", "general")
VERIFY_VALUES = ("pending",)
RESULTS = ("pass", "fail", "na")

HEADER_REQUIRED = ("code", "title", "industry", "version", "applies_to", "basis", "sections")
HEADER_OPTIONAL = ("effective_from", "description", "profiles", "scoring")
ITEM_REQUIRED = ("id", "text", "method", "category")
ITEM_OPTIONAL = ("basis", "major", "answer", "photo_on_fail", "guidance", "verify", "scoring")
ANSWER_FIELDS = {
    "pass_fail_na": (("type",), ()),
    "text": (("type",), ()),
    "number": (("type", "unit"), ("min", "max")),
    "choice": (("type", "options"), ()),
}


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    hint: str


CHECKLIST_CODE = _Pattern(re.compile(r"[a-z0-9-]+"), "只能包含小写字母、数字和 -")
PROFILE_CODE = _Pattern(re.compile(r"[a-z0-9_-]+"), "只能包含小写字母、数字、_ 和 -")
CODE = _Pattern(re.compile(r"[A-Za-z0-9_.-]+"), "只能包含英文字母、数字、_、. 和 -")
ITEM_ID = _Pattern(
    re.compile(r"[A-Z0-9][A-Za-z0-9_.-]*"),
    "须以大写字母或数字开头，只能包含英文字母、数字、_、. 和 -",
)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL = (_YAML + name for name in ("str", "int", "float", "bool"))
_TIMESTAMP, _MAP, _SEQ, _MERGE = (_YAML + name for name in ("timestamp", "map", "seq", "merge"))
_KIND_NAMES = {
    "str": "字符串",
    "int": "数字",
    "float": "数字",
    "bool": "布尔值",
    "null": "空值",
    "timestamp": "日期",
    "map": "映射",
    "seq": "列表",
}


@dataclass(frozen=True)
class Problem:
    """One validation problem, located at a 1-based line of the YAML source."""

    file: str
    line: int
    message: str
    field: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ChecklistInvalid(Exception):
    """Raised by load_checklist; .problems lists every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def parse_checklist(text: str, filename: str = "<upload>") -> tuple[dict | None, list[Problem]]:
    """Validate YAML text; return (normalised document or None, every problem found)."""
    root, problems = _compose(text, filename)
    if root is None:
        return None, problems
    walker = _Walker(filename)
    doc = walker.checklist(root)
    problems = sorted(walker.problems, key=lambda problem: problem.line)
    return (None if problems else doc), problems


def load_checklist(text: str, filename: str = "<upload>") -> dict:
    """Return the normalised document, or raise ChecklistInvalid with every problem."""
    doc, problems = parse_checklist(text, filename)
    if problems:
        raise ChecklistInvalid(problems)
    return doc


def content_hash(doc: dict) -> str:
    """SHA-256 of the canonical JSON of a normalised document: the stored version id."""
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def validate_files(paths: Iterable[str | Path]) -> list[Problem]:
    """Read and validate each file; return all problems of all files."""
    problems: list[Problem] = []
    for path in paths:
        name = str(path)
        try:
            with open(path, "rb") as stream:
                raw = stream.read(MAX_BYTES + 1)
        except OSError as exc:
            problems.append(Problem(name, 1, f"无法读取文件：{exc.strerror or exc}", ""))
            continue
        if len(raw) > MAX_BYTES:
            problems.append(Problem(name, 1, _too_big_message(), ""))
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            problems.append(Problem(name, line, "文件不是有效的 UTF-8 编码", ""))
            continue
        problems.extend(parse_checklist(text, name)[1])
    return problems


def iter_items(doc: dict) -> Iterator[dict]:
    """Every check item in checklist order, each a copy carrying its "section" id."""
    for section in doc["sections"]:
        for item in section["items"]:
            yield {**item, "section": section["id"]}


def item_index(doc: dict) -> dict[str, dict]:
    """Check items (as yielded by iter_items) by id."""
    return {item["id"]: item for item in iter_items(doc)}


def profile_item_ids(doc: dict, profile: str | None) -> list[str]:
    """Item ids of a profile in checklist order (all items when profile is None)."""
    ids = [item["id"] for item in iter_items(doc)]
    if profile is None:
        return ids
    for candidate in doc["profiles"]:
        if candidate["code"] == profile:
            chosen = set(candidate["items"])
            return [item_id for item_id in ids if item_id in chosen]
    raise KeyError(profile)


def judge_answer(item: dict, result: str, value: Any = None) -> str:
    """Effective result of an answer: a reading out of range or a `fails` option fails it."""
    if result not in RESULTS:
        raise ValueError(f'检查结果 "{result}" 无效，应为 pass、fail 或 na')
    if value is None:
        return result
    answer = item["answer"]
    kind = answer["type"]
    if kind == "number":
        return "fail" if _out_of_range(answer, _reading(value)) else result
    if kind == "choice":
        return "fail" if _chosen_option(answer, value)["fails"] else result
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError("文字型检查项的记录值应为字符串")
        return result
    raise ValueError("该检查项只需选择 合格/不合格/不适用，不记录数值")


def _reading(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"数值型检查项的读数应为数字，收到：{value!r}")
    if not math.isfinite(value):
        raise ValueError("数值型检查项的读数应为有限的数字")
    return value


def _out_of_range(answer: dict, reading: float) -> bool:
    low, high = answer["min"], answer["max"]
    return (low is not None and reading < low) or (high is not None and reading > high)


def _chosen_option(answer: dict, value: Any) -> dict:
    for option in answer["options"]:
        if option["code"] == value:
            return option
    codes = "、".join(option["code"] for option in answer["options"])
    raise ValueError(f'未知的选项 "{value}"，可选：{codes}')


def _too_big_message() -> str:
    return f"文件超过 {MAX_BYTES // (1024 * 1024)} MB 上限"


def _compose(text: str, filename: str) -> tuple[Node | None, list[Problem]]:
    """Compose the single YAML document into nodes, refusing oversized or cyclic input."""

    def fail(line: int, message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(filename, line, message, "")]

    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        return fail(1, _too_big_message())
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        return fail(line, f"YAML 语法错误：{exc.problem or exc.context}")
    except ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return fail(line, f"文件包含不允许的控制字符 U+{exc.character:04X}")
    except yaml.YAMLError as exc:
        return fail(1, f"YAML 语法错误：{exc}")
    except RecursionError:
        return fail(1, "YAML 嵌套层级过深")
    if not documents:
        return fail(1, "文件为空")
    if len(documents) > 1:
        return fail(_line(documents[1]), "一个文件只能包含一个 YAML 文档（不能有第二个 ---）")
    root = documents[0]
    size, cycle = _expanded_size(root)
    if cycle is not None:
        return fail(_line(cycle), "YAML 别名（*）构成了循环引用")
    if size > MAX_NODES:
        return fail(1, "展开别名（*）后内容过大，请不要用别名大量复制内容")
    return root, []


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _expanded_size(root: Node) -> tuple[int, Node | None]:
    """Node count with aliases expanded (memoised, iterative), and the node closing a cycle."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            active.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            continue
        if key in sizes:
            continue
        active.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in active:
                return 0, child
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)], None


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _join(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def _leaf(field: str) -> str:
    return field.rsplit(".", 1)[-1]


def _kind(node: Node) -> str:
    if node.tag.startswith(_YAML) and node.tag.removeprefix(_YAML) in _KIND_NAMES:
        return _KIND_NAMES[node.tag.removeprefix(_YAML)]
    return f"不支持的 YAML 标签 {node.tag}"


def _normal_number(value: int | float) -> int | float:
    # 21 and 21.0 are the same limit; one spelling keeps the content hash stable.
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _close(total: float, target: float) -> bool:
    return abs(total - target) <= SUM_TOLERANCE


def _fmt(value: float) -> str:
    return format(value, ".12g")


def _put(target: dict, key: str, value: Any) -> None:
    if value is not None:
        target[key] = value


def _find_key(node: MappingNode, name: str) -> Node | None:
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.tag == _STR and key.value == name:
            return value
    return None


class _Walker:
    """Walks the composed nodes, building the normalised document and collecting problems."""

    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()
        self.basis_codes: dict[str, int] | None = None
        self.scoring_declared = False
        self.tables_known = False
        self.tables: dict[str, dict] = {}
        self.score_entries: dict[str, list[tuple[str, float, Node, str]]] = {}
        self.unsure_tables: set[str] = set()
        self.item_lines: dict[str, int] = {}
        self.item_count = 0

    # ---- generic readers -------------------------------------------------------------

    def report(self, node: Node, field: str, message: str) -> None:
        self.problems.append(Problem(self.filename, _line(node), message, field))

    def wrong_type(self, node: Node, field: str, expected: str) -> None:
        if not field:
            self.report(node, field, f"文件内容应为{expected}（字段: 值），实际为{_kind(node)}")
            return
        message = f'"{_leaf(field)}" 应为{expected}，实际为{_kind(node)}'
        if expected == "字符串" and isinstance(node, ScalarNode) and node.tag in (_INT, _FLOAT):
            message += f'，请加引号，例如 "{node.value}"'
        self.report(node, field, message)

    def read(self, fields: dict[str, Node], name: str, parent: str, reader, *args: Any) -> Any:
        node = fields.get(name)
        return None if node is None else reader(node, _join(parent, name), *args)

    def unique(self, seen: dict[str, int], value: str, node: Node, field: str, label: str):
        if value in seen:
            self.report(node, field, f"{label}重复：{value}（首次出现在第 {seen[value]} 行）")
        else:
            seen[value] = _line(node)

    def mapping(
        self, node: Node, field: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Node] | None:
        if not (isinstance(node, MappingNode) and node.tag == _MAP):
            self.wrong_type(node, field, "映射")
            return None
        fields: dict[str, Node] = {}
        for key, value in node.value:
            name = self.key_name(key, field)
            if name is None:
                continue
            if name in fields:
                self.report(key, _join(field, name), f'字段 "{name}" 重复')
            elif name in required or name in optional:
                fields[name] = value
            else:
                self.report(key, _join(field, name), f'未知字段 "{name}"')
        for name in required:
            if name not in fields:
                self.report(node, _join(field, name), f'缺少必填字段 "{name}"')
        return fields

    def key_name(self, key: Node, field: str) -> str | None:
        if key.tag == _MERGE:
            self.report(key, field, '不支持 YAML 合并键 "<<"，请直接写出各字段')
            return None
        if isinstance(key, ScalarNode) and key.tag == _STR:
            return key.value
        self.report(key, field, f"字段名应为字符串，实际为{_kind(key)}")
        return None

    def sequence(self, node: Node, field: str, allow_empty: bool = False) -> list[Node] | None:
        if not (isinstance(node, SequenceNode) and node.tag == _SEQ):
            self.wrong_type(node, field, "列表")
            return None
        if not node.value and not allow_empty:
            self.report(node, field, f'"{_leaf(field)}" 不能为空列表')
            return None
        return list(node.value)

    def scalar(self, node: Node, field: str, tags: tuple[str, ...], expected: str) -> Any:
        if not (isinstance(node, ScalarNode) and node.tag in tags):
            self.wrong_type(node, field, expected)
            return None
        try:
            return self._constructor.construct_object(node)
        except (ValueError, yaml.YAMLError):
            self.report(node, field, f'"{_leaf(field)}" 的值 "{node.value}" 无法解析')
            return None

    def text(self, node: Node, field: str, pattern: _Pattern | None = None) -> str | None:
        value = self.scalar(node, field, (_STR,), "字符串")
        if value is None:
            return None
        if not value.strip():
            self.report(node, field, f'"{_leaf(field)}" 不能为空')
            return None
        if pattern is not None and not pattern.regex.fullmatch(value):
            self.report(node, field, f'"{_leaf(field)}" 的值 "{value}" 格式不正确：{pattern.hint}')
            return None
        return value

    def enum(self, node: Node, field: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(node, field)
        if value is not None and value not in choices:
            allowed = "、".join(choices)
            self.report(node, field, f'"{_leaf(field)}" 的值 "{value}" 无效，可选值：{allowed}')
            return None
        return value

    def enum_list(self, node: Node, field: str, choices: tuple[str, ...]) -> list[str] | None:
        children = self.sequence(node, field)
        if children is None:
            return None
        values: list[str] = []
        for index, child in enumerate(children):
            value = self.enum(child, f"{field}[{index}]", choices)
            if value in values:
                self.report(child, f"{field}[{index}]", f'"{_leaf(field)}" 中 "{value}" 重复')
            elif value is not None:
                values.append(value)
        return values

    def boolean(self, node: Node, field: str) -> bool | None:
        return self.scalar(node, field, (_BOOL,), "布尔值（true 或 false）")

    def number(self, node: Node, field: str) -> int | float | None:
        value = self.scalar(node, field, (_INT, _FLOAT), "数字")
        if value is None:
            return None
        if not math.isfinite(value):
            self.report(node, field, f'"{_leaf(field)}" 应为有限的数字')
            return None
        return _normal_number(value)

    def positive(self, node: Node, field: str) -> int | float | None:
        value = self.number(node, field)
        if value is not None and value <= 0:
            self.report(node, field, f'"{_leaf(field)}" 应大于 0，实际为 {_fmt(value)}')
            return None
        return value

    def date(self, node: Node, field: str) -> str | None:
        if not (isinstance(node, ScalarNode) and node.tag in (_TIMESTAMP, _STR)):
            self.wrong_type(node, field, "日期（YYYY-MM-DD）")
            return None
        if not ISO_DATE.fullmatch(node.value):
            message = f'"{_leaf(field)}" 的值 "{node.value}" 应为 YYYY-MM-DD 格式的日期'
            self.report(node, field, message)
            return None
        try:
            return dt.date.fromisoformat(node.value).isoformat()
        except ValueError:
            self.report(node, field, f'"{_leaf(field)}" 的值 "{node.value}" 不是有效日期')
            return None

    def verify(self, node: Node, field: str) -> str | None:
        return self.enum(node, field, VERIFY_VALUES)

    # ---- the document ----------------------------------------------------------------

    def checklist(self, root: Node) -> dict | None:
        fields = self.mapping(root, "", HEADER_REQUIRED, HEADER_OPTIONAL)
        if fields is None:
            return None
        doc: dict[str, Any] = {
            "code": self.read(fields, "code", "", self.text, CHECKLIST_CODE),
            "title": self.read(fields, "title", "", self.text),
            "industry": self.read(fields, "industry", "", self.enum, INDUSTRIES),
            "version": self.read(fields, "version", "", self.text),
            "applies_to": self.read(fields, "applies_to", "", self.enum_list, INSPECTION_TYPES),
            "basis": self.read(fields, "basis", "", self.basis_docs),
        }
        _put(doc, "effective_from", self.read(fields, "effective_from", "", self.date))
        _put(doc, "description", self.read(fields, "description", "", self.text))
        if "scoring" in fields:
            self.scoring_declared = True
            doc["scoring"] = self.scoring(fields["scoring"], "scoring")
        doc["sections"] = self.read(fields, "sections", "", self.sections)
        profiles = fields.get("profiles")
        doc["profiles"] = [] if profiles is None else self.profiles(profiles, "profiles")
        self.check_score_totals()
        return doc

    def basis_docs(self, node: Node, field: str) -> list[dict] | None:
        children = self.sequence(node, field)
        if children is None:
            return None
        self.basis_codes = {}
        docs = []
        for index, child in enumerate(children):
            path = f"{field}[{index}]"
            fields = self.mapping(
                child,
                path,
                ("code", "title", "status"),
                ("number", "issuer", "effective", "expires", "replaced_by", "verify"),
            )
            if fields is None:
                continue
            code = self.read(fields, "code", path, self.text, CODE)
            if code is not None:
                self.unique(self.basis_codes, code, fields["code"], f"{path}.code", "依据代号")
            doc = {
                "code": code,
                "title": self.read(fields, "title", path, self.text),
                "status": self.read(fields, "status", path, self.enum, BASIS_STATUSES),
            }
            _put(doc, "number", self.read(fields, "number", path, self.text))
            _put(doc, "issuer", self.read(fields, "issuer", path, self.text))
            _put(doc, "effective", self.read(fields, "effective", path, self.date))
            _put(doc, "expires", self.read(fields, "expires", path, self.date))
            _put(doc, "replaced_by", self.read(fields, "replaced_by", path, self.text))
            if doc["status"] == "expired" and "expires" not in doc:
                self.report(
                    fields["status"], f"{path}.status", "已到期失效的依据须写明失效日期 expires"
                )
            _put(doc, "verify", self.read(fields, "verify", path, self.verify))
            docs.append(doc)
        return docs

    def profiles(self, node: Node, field: str) -> list[dict] | None:
        children = self.sequence(node, field, allow_empty=True)
        if children is None:
            return None
        seen: dict[str, int] = {}
        profiles = []
        for index, child in enumerate(children):
            path = f"{field}[{index}]"
            fields = self.mapping(child, path, ("code", "title", "items"))
            if fields is None:
                continue
            code = self.read(fields, "code", path, self.text, PROFILE_CODE)
            if code is not None:
                self.unique(seen, code, fields["code"], f"{path}.code", "方案代码")
            profiles.append(
                {
                    "code": code,
                    "title": self.read(fields, "title", path, self.text),
                    "items": self.read(fields, "items", path, self.profile_items),
                }
            )
        return profiles

    def profile_items(self, node: Node, field: str) -> list[str] | None:
        children = self.sequence(node, field)
        if children is None:
            return None
        ids: list[str] = []
        for index, child in enumerate(children):
            path = f"{field}[{index}]"
            item_id = self.text(child, path)
            if item_id is None:
                continue
            if item_id in ids:
                self.report(child, path, f'方案中检查项 "{item_id}" 重复')
            elif item_id not in self.item_lines:
                self.report(child, path, f'方案引用了不存在的检查项 "{item_id}"')
            else:
                ids.append(item_id)
        return ids

    # ---- sections and items -----------------------------------------------------------

    def sections(self, node: Node, field: str) -> list[dict] | None:
        children = self.sequence(node, field)
        if children is None:
            return None
        seen: dict[str, int] = {}
        sections = []
        for index, child in enumerate(children):
            path = f"{field}[{index}]"
            fields = self.mapping(child, path, ("id", "title", "items"))
            if fields is None:
                continue
            section_id = self.read(fields, "id", path, self.text, CODE)
            if section_id is not None:
                self.unique(seen, section_id, fields["id"], f"{path}.id", "分组编号")
            sections.append(
                {
                    "id": section_id,
                    "title": self.read(fields, "title", path, self.text),
                    "items": self.read(fields, "items", path, self.items),
                }
            )
        return sections

    def items(self, node: Node, field: str) -> list[dict] | None:
        children = self.sequence(node, field)
        if children is None:
            return None
        return [self.item(child, f"{field}[{index}]") for index, child in enumerate(children)]

    def item(self, node: Node, field: str) -> dict | None:
        self.item_count += 1
        if self.item_count == MAX_ITEMS + 1:
            self.report(node, field, f"检查项超过 {MAX_ITEMS} 条上限")
        fields = self.mapping(node, field, ITEM_REQUIRED, ITEM_OPTIONAL)
        if fields is None:
            return None
        item_id = self.read(fields, "id", field, self.text, ITEM_ID)
        if item_id is not None:
            self.unique(self.item_lines, item_id, fields["id"], f"{field}.id", "检查项编号")
        basis = self.read(fields, "basis", field, self.basis_refs)
        major = self.read(fields, "major", field, self.boolean)
        if major and ("basis" not in fields or basis == []):
            message = "重大事故隐患项（major: true）必须注明依据（basis）"
            self.report(fields["major"], f"{field}.major", message)
        answer = self.read(fields, "answer", field, self.answer)
        photo_on_fail = self.read(fields, "photo_on_fail", field, self.boolean)
        item = {
            "id": item_id,
            "text": self.read(fields, "text", field, self.text),
            "method": self.read(fields, "method", field, self.method),
            "basis": [] if "basis" not in fields else basis,
            "major": False if "major" not in fields else major,
            "category": self.read(fields, "category", field, self.enum, CATEGORIES),
            "answer": {"type": "pass_fail_na"} if "answer" not in fields else answer,
            "photo_on_fail": True if "photo_on_fail" not in fields else photo_on_fail,
        }
        _put(item, "guidance", self.read(fields, "guidance", field, self.text))
        _put(item, "verify", self.read(fields, "verify", field, self.verify))
        _put(item, "scoring", self.read(fields, "scoring", field, self.item_scoring))
        return item

    def method(self, node: Node, field: str) -> list[str] | None:
        if isinstance(node, SequenceNode):
            return self.enum_list(node, field, METHODS)
        value = self.enum(node, field, METHODS)
        return None if value is None else [value]

    def basis_refs(self, node: Node, field: str) -> list[dict] | None:
        children = self.sequence(node, field, allow_empty=True)
        if children is None:
            return None
        refs = []
        for index, child in enumerate(children):
            path = f"{field}[{index}]"
            fields = self.mapping(child, path, ("doc", "clause"), ("verify",))
            if fields is None:
                continue
            doc = self.read(fields, "doc", path, self.text, CODE)
            if doc is not None and self.basis_codes is not None and doc not in self.basis_codes:
                message = f'依据 "{doc}" 未在文件头 basis 中声明'
                self.report(fields["doc"], f"{path}.doc", message)
            ref = {"doc": doc, "clause": self.read(fields, "clause", path, self.text)}
            _put(ref, "verify", self.read(fields, "verify", path, self.verify))
            refs.append(ref)
        # a malformed reference is not "no basis": keep the major-hazard rule from piling on
        return refs if len(refs) == len(children) else None

    def answer(self, node: Node, field: str) -> dict | None:
        if isinstance(node, ScalarNode):
            kind = self.enum(node, field, ANSWER_TYPES)
            if kind in ("number", "choice"):
                message = f"答案类型 {kind} 须写成映射（type 及其参数），见检查表格式说明"
                self.report(node, field, message)
                return None
            return None if kind is None else {"type": kind}
        if not (isinstance(node, MappingNode) and node.tag == _MAP):
            self.wrong_type(node, field, "字符串或映射")
            return None
        type_node = _find_key(node, "type")
        if type_node is None:
            self.report(node, f"{field}.type", '缺少必填字段 "type"')
            return None
        kind = self.enum(type_node, f"{field}.type", ANSWER_TYPES)
        if kind is None:
            return None
        fields = self.mapping(node, field, *ANSWER_FIELDS[kind])
        if fields is None:
            return None
        if kind == "number":
            return self.number_answer(node, fields, field)
        if kind == "choice":
            return self.choice_answer(fields, field)
        return {"type": kind}

    def number_answer(self, node: Node, fields: dict[str, Node], field: str) -> dict:
        low = self.read(fields, "min", field, self.number)
        high = self.read(fields, "max", field, self.number)
        if "min" not in fields and "max" not in fields:
            self.report(node, field, "数值型答案须至少给出 min 或 max")
        if low is not None and high is not None and low > high:
            message = f'"min"（{_fmt(low)}）不能大于 "max"（{_fmt(high)}）'
            self.report(fields["min"], f"{field}.min", message)
        return {
            "type": "number",
            "unit": self.read(fields, "unit", field, self.text),
            "min": low,
            "max": high,
        }

    def choice_answer(self, fields: dict[str, Node], field: str) -> dict:
        return {"type": "choice", "options": self.read(fields, "options", field, self.options)}

    def options(self, node: Node, field: str) -> list[dict] | None:
        children = self.sequence(node, field)
        if children is None:
            return None
        if len(children) < 2:
            self.report(node, field, "选择型答案至少需要两个选项")
        seen: dict[str, int] = {}
        options = []
        for index, child in enumerate(children):
            path = f"{field}[{index}]"
            fields = self.mapping(child, path, ("code", "label"), ("fails",))
            if fields is None:
                continue
            code = self.read(fields, "code", path, self.text, CODE)
            if code is not None:
                self.unique(seen, code, fields["code"], f"{path}.code", "选项代码")
            fails = self.read(fields, "fails", path, self.boolean)
            options.append(
                {
                    "code": code,
                    "label": self.read(fields, "label", path, self.text),
                    "fails": False if "fails" not in fields else fails,
                }
            )
        return options

    # ---- JGJ 59-2011 scoring ----------------------------------------------------------

    def scoring(self, node: Node, field: str) -> dict | None:
        fields = self.mapping(node, field, ("scheme", "summary", "tables"))
        if fields is None:
            return None
        return {
            "scheme": self.read(fields, "scheme", field, self.enum, SCORING_SCHEMES),
            "tables": self.read(fields, "tables", field, self.score_tables),
            "summary": self.read(fields, "summary", field, self.score_summary),
        }

    def score_tables(self, node: Node, field: str) -> list[dict] | None:
        children = self.sequence(node, field)
        if children is None:
            return None
        self.tables_known = True
        seen: dict[str, int] = {}
        tables = []
        for index, child in enumerate(children):
            path = f"{field}[{index}]"
            fields = self.mapping(child, path, ("key", "title", "has_guarantee"))
            if fields is None:
                continue
            key = self.read(fields, "key", path, self.text, CODE)
            has_guarantee = self.read(fields, "has_guarantee", path, self.boolean)
            if key is not None:
                self.unique(seen, key, fields["key"], f"{path}.key", "评分表")
                self.tables.setdefault(
                    key, {"has_guarantee": has_guarantee, "node": child, "field": path}
                )
            tables.append(
                {
                    "key": key,
                    "title": self.read(fields, "title", path, self.text),
                    "has_guarantee": has_guarantee,
                }
            )
        return tables

    def score_summary(self, node: Node, field: str) -> list[dict] | None:
        children = self.sequence(node, field)
        if children is None:
            return None
        seen_keys: dict[str, int] = {}
        used: dict[str, int] = {}
        rows = []
        for index, child in enumerate(children):
            path = f"{field}[{index}]"
            fields = self.mapping(child, path, ("key", "title", "weight", "tables"))
            if fields is None:
                continue
            key = self.read(fields, "key", path, self.text, CODE)
            if key is not None:
                self.unique(seen_keys, key, fields["key"], f"{path}.key", "汇总项")
            rows.append(
                {
                    "key": key,
                    "title": self.read(fields, "title", path, self.text),
                    "weight": self.read(fields, "weight", path, self.positive),
                    "tables": self.read(fields, "tables", path, self.summary_tables, used),
                }
            )
        weights = [row["weight"] for row in rows]
        if len(rows) == len(children) and None not in weights and not _close(sum(weights), 100):
            self.report(node, field, f"汇总表权重合计为 {_fmt(sum(weights))}，应为 100")
        for key, table in self.tables.items():
            if key not in used:
                self.report(table["node"], table["field"], f'评分表 "{key}" 未列入任何汇总行')
        return rows

    def summary_tables(self, node: Node, field: str, used: dict[str, int]) -> list[str] | None:
        children = self.sequence(node, field)
        if children is None:
            return None
        keys = []
        for index, child in enumerate(children):
            path = f"{field}[{index}]"
            key = self.text(child, path, CODE)
            if key is None:
                continue
            if self.tables_known and key not in self.tables:
                self.report(child, path, f'汇总行引用了未声明的评分表 "{key}"')
            elif key in used:
                message = f'评分表 "{key}" 已列入第 {used[key]} 行的汇总行，每张表只能列入一行'
                self.report(child, path, message)
            else:
                used[key] = _line(child)
            keys.append(key)
        return keys

    def item_scoring(self, node: Node, field: str) -> dict | None:
        fields = self.mapping(node, field, ("table", "group", "points"))
        if fields is None:
            return None
        if not self.scoring_declared:
            self.report(node, field, "检查项设置了 scoring，但文件头没有声明 scoring")
        table = self.read(fields, "table", field, self.text, CODE)
        group = self.read(fields, "group", field, self.enum, SCORING_GROUPS)
        points = self.read(fields, "points", field, self.positive)
        if table is not None and self.tables_known:
            if table not in self.tables:
                message = f'评分表 "{table}" 未在文件头 scoring.tables 中声明'
                self.report(fields["table"], f"{field}.table", message)
            elif group is None or points is None:
                self.unsure_tables.add(table)
            else:
                entry = (group, points, fields["group"], f"{field}.group")
                self.score_entries.setdefault(table, []).append(entry)
        return {"table": table, "group": group, "points": points}

    def check_score_totals(self) -> None:
        for key, table in self.tables.items():
            entries = self.score_entries.get(key, [])
            node, field = table["node"], table["field"]
            if not entries and key not in self.unsure_tables:
                self.report(node, field, f'评分表 "{key}" 未被任何检查项使用')
            if not entries or key in self.unsure_tables:
                continue
            total = sum(points for _, points, _, _ in entries)
            if not _close(total, 100):
                self.report(
                    node, field, f'评分表 "{key}" 的检查项分值合计为 {_fmt(total)}，应为 100'
                )
            guarantee = [entry for entry in entries if entry[0] == "guarantee"]
            if table["has_guarantee"] is True:
                subtotal = sum(points for _, points, _, _ in guarantee)
                if not _close(subtotal, 60):
                    message = f'评分表 "{key}" 的保证项目分值合计为 {_fmt(subtotal)}，应为 60'
                    self.report(node, field, message)
            elif table["has_guarantee"] is False:
                message = (
                    f'评分表 "{key}" 没有保证项目（has_guarantee: false），group 不能为 guarantee'
                )
                for _, _, group_node, group_field in guarantee:
                    self.report(group_node, group_field, message)
