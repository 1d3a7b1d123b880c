// One patrol: findings, the add-finding form (basis rows), review of agency findings, the
// "issue order" form built from selected findings, submission and closure.
import { api } from "../api.js";
import { href, navigate } from "../routes.js";
import { hasRole, me } from "../session.js";
import { enumBadge, fill, fmtDate, fmtDateTime, h, showProblem, table, toast } from "../ui.js";
import { evidenceBlock } from "./patrol-evidence.js";

const STAFF = ["regulator_admin", "regulator_inspector"];
const LAW_65 = { document: "《中华人民共和国安全生产法》", clause: "第六十五条" };
const CATEGORIES = [
  ["management", "管理上的缺陷"],
  ["thing", "物的不安全状态"],
  ["behaviour", "人的不安全行为"],
  ["environment", "环境不良因素"],
];
const LEVELS = [
  ["general", "一般隐患"],
  ["major", "重大隐患"],
];

// A select of [code, label] pairs; `blank` adds a first "keep the proposal" option.
function choice(pairs, testid, blank) {
  return h(
    "select",
    { dataset: { testid } },
    blank ? h("option", { value: "", text: blank }) : null,
    pairs.map(([value, text]) => h("option", { value, text })),
  );
}

function isoInDays(days) {
  const date = new Date(Date.now() + 8 * 3600e3 + days * 86400e3);
  return date.toISOString().slice(0, 10);
}

function basisRows(initial) {
  const rows = h("div", { dataset: { testid: "basis-rows" } });
  const add = (value = { document: "", clause: "" }) =>
    rows.append(
      h(
        "div",
        { class: "filters basis-row" },
        h("input", { placeholder: "文件，如《中华人民共和国安全生产法》", value: value.document, size: 36, dataset: { testid: "basis-document" } }),
        h("input", { placeholder: "条款，如第六十五条", value: value.clause || "", size: 14, dataset: { testid: "basis-clause" } }),
      ),
    );
  (initial.length ? initial : [{ document: "", clause: "" }]).forEach(add);
  const read = () =>
    [...rows.querySelectorAll(".basis-row")]
      .map((row) => ({ document: row.children[0].value.trim(), clause: row.children[1].value.trim() }))
      .filter((b) => b.document);
  const more = h("button", { type: "button", text: "添加依据", on: { click: () => add() } });
  return { node: h("div", {}, rows, more), read };
}

function basisText(basis) {
  return (basis || []).map((b) => `${b.document}${b.clause || ""}`).join("；") || "—";
}

function findingForm(patrol, reload) {
  const problem = h("div");
  const title = h("input", { placeholder: "问题", size: 40, dataset: { testid: "finding-title" } });
  const description = h("textarea", { rows: 2, cols: 60, placeholder: "情况描述", dataset: { testid: "finding-description" } });
  const level = choice(LEVELS, "finding-level");
  const category = choice(CATEGORIES, "finding-category");
  // An agency proposes the deadline (may leave it empty); a regulator's finding needs one.
  const deadline = h("input", { type: "date", value: isoInDays(14), dataset: { testid: "finding-deadline" } });
  const basis = basisRows([]);
  const form = h(
    "form",
    { class: "card", dataset: { testid: "finding-form" } },
    h("h3", { text: "记录发现" }),
    h(
      "div",
      { class: "filters" },
      h("label", {}, "问题", title),
      h("label", {}, "等级", level),
      h("label", {}, "类别", category),
      h("label", {}, patrol.engagement_id ? "建议整改期限" : "整改期限", deadline),
    ),
    h("label", {}, "描述", description),
    h("p", { class: "muted", text: "依据" }),
    basis.node,
    h("button", { type: "submit", class: "primary", text: "保存发现", dataset: { testid: "finding-save" } }),
    problem,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      id: crypto.randomUUID(),
      title: title.value.trim(),
      description: description.value.trim(),
      basis: basis.read(),
      proposed_level: level.value,
      category: category.value,
    };
    if (deadline.value) body.deadline = deadline.value;
    const result = await api("POST", `/api/v1/patrols/${patrol.id}/findings`, body);
    if (!result.ok) return showProblem(problem, result.problem);
    toast("已记录发现。");
    reload();
  });
  return form;
}

function reviewCell(finding, reload) {
  if (finding.state.code !== "proposed" || !hasRole(...STAFF)) return "";
  // Empty fields keep what the agency proposed; a deadline is needed if it proposed none.
  const deadline = h("input", { type: "date", value: finding.deadline || "", title: "整改期限（留空则采用建议期限）", dataset: { testid: "review-deadline" } });
  const level = choice(LEVELS, "review-level", "等级：采用建议");
  const category = choice(CATEGORIES, "review-category", "类别：采用建议");
  const note = h("input", { placeholder: "意见（不采纳时必填）", dataset: { testid: "review-note" } });
  const problem = h("div");
  const decide = async (decision) => {
    const body = { decision, note: note.value.trim(), expected_state: "proposed" };
    if (decision === "accept") {
      if (deadline.value) body.deadline = deadline.value;
      if (level.value) body.level = level.value;
      if (category.value) body.category = category.value;
    }
    const result = await api("POST", `/api/v1/patrol-findings/${finding.id}/review`, body);
    if (!result.ok) return showProblem(problem, result.problem);
    reload();
  };
  return h(
    "div",
    {},
    deadline,
    level,
    category,
    note,
    h("button", { type: "button", text: "采纳", dataset: { testid: "review-accept" }, on: { click: () => decide("accept") } }),
    h("button", { type: "button", text: "不采纳", dataset: { testid: "review-reject" }, on: { click: () => decide("reject") } }),
    problem,
  );
}

function orderForm(patrol) {
  const accepted = patrol.findings.filter((f) => f.state.code === "accepted");
  const problem = h("div");
  const boxes = accepted.map((f) => h("input", { type: "checkbox", checked: true, value: f.id, dataset: { testid: "order-finding" } }));
  const deadline = h("input", { type: "date", value: isoInDays(14), dataset: { testid: "order-deadline" } });
  const requirements = h("textarea", { rows: 2, cols: 60, placeholder: "具体要求", dataset: { testid: "order-requirements" } });
  const basis = basisRows([LAW_65]);
  // 执法人员不得少于两人: the issuing officer plus a co-officer of the bureau, both with a 执法证号.
  const self = me() || {};
  const coOfficer = h("select", { required: true, dataset: { testid: "order-co-officer" } }, h("option", { value: "", text: "请选择" }));
  api("GET", `/api/v1/regulators/${patrol.regulator_id}/officers`).then((result) => {
    if (!result.ok) return showProblem(problem, result.problem);
    for (const officer of result.data.items.filter((o) => o.user_id !== self.id)) {
      const certificate = officer.enforcement_certificate_no;
      coOfficer.append(
        h("option", {
          value: String(officer.user_id),
          disabled: !certificate,
          text: certificate ? `${officer.display_name}（执法证号 ${certificate}）` : `${officer.display_name}（未登记执法证号）`,
        }),
      );
    }
  });
  const selfLine = self.enforcement_certificate_no
    ? `${self.display_name}（执法证号 ${self.enforcement_certificate_no}）`
    : `${self.display_name || ""}（未登记执法证号，不能下达指令书）`;
  const form = h(
    "form",
    { class: "card", dataset: { testid: "order-form" } },
    h("h3", { text: "下达责令限期整改指令书" }),
    h(
      "div",
      { class: "filters" },
      h("span", { dataset: { testid: "order-self-officer" } }, `执法人员：${selfLine}`),
      h("label", {}, "第二名执法人员", coOfficer),
    ),
    h(
      "ul",
      {},
      accepted.map((f, i) => h("li", {}, h("label", {}, boxes[i], ` ${f.title}（${f.proposed_level.label}）`))),
    ),
    h("div", { class: "filters" }, h("label", {}, "整改期限", deadline)),
    h("p", { class: "muted", text: "法律依据" }),
    basis.node,
    h("label", {}, "具体要求", requirements),
    h("button", { type: "submit", class: "primary", text: "下达指令书", dataset: { testid: "order-issue" } }),
    problem,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = accepted.filter((f, i) => boxes[i].checked);
    const body = {
      enterprise_id: patrol.enterprise_id,
      co_officer_user_id: Number(coOfficer.value),
      patrol_id: patrol.id,
      deadline: deadline.value,
      basis: basis.read(),
      requirements: requirements.value.trim(),
      items: chosen.map((f) => ({ hazard_id: f.hazard_id, text: f.title, basis: f.basis })),
    };
    const result = await api("POST", "/api/v1/orders", body);
    if (!result.ok) return showProblem(problem, result.problem);
    toast(`已下达 ${result.data.number}`);
    navigate("order", result.data.id);
  });
  return form;
}

// Remote evidence requests answered late or not at all count among the patrol's findings.
function shortfalls(items) {
  if (!items.length) return null;
  return h(
    "div",
    { class: "card", dataset: { testid: "evidence-shortfalls" } },
    h("h3", { text: `远程核查逾期 ${items.length} 项（计入巡查发现）` }),
    h(
      "ul",
      {},
      items.map((s) =>
        h(
          "li",
          { dataset: { requestId: String(s.request_id) } },
          enumBadge(s.shortfall),
          ` ${s.subject}：${s.text} · 期限 ${fmtDateTime(s.due_at)}`,
          s.finding_id ? h("span", { class: "muted", text: " · 已转为发现" }) : null,
          s.order_id ? h("span", { class: "muted", text: ` · 已下达指令书 #${s.order_id}` }) : null,
        ),
      ),
    ),
  );
}

function actions(patrol, reload) {
  const problem = h("div");
  const buttons = [];
  if (patrol.engagement_id && patrol.state.code === "open" && hasRole("auditor")) {
    buttons.push(
      h("button", {
        type: "button",
        text: "提交监管部门审核",
        dataset: { testid: "patrol-submit" },
        on: {
          click: async () => {
            const result = await api("POST", `/api/v1/patrols/${patrol.id}/submission`, { expected_state: "open" });
            if (!result.ok) return showProblem(problem, result.problem);
            reload();
          },
        },
      }),
    );
  }
  if (patrol.state.code !== "closed" && hasRole(...STAFF)) {
    const summary = h("input", { placeholder: "巡查小结", size: 40, dataset: { testid: "patrol-summary" } });
    buttons.push(
      summary,
      h("button", {
        type: "button",
        text: "结束巡查",
        dataset: { testid: "patrol-close" },
        on: {
          click: async () => {
            const result = await api("POST", `/api/v1/patrols/${patrol.id}/closure`, { summary: summary.value.trim() });
            if (!result.ok) return showProblem(problem, result.problem);
            reload();
          },
        },
      }),
    );
  }
  return h("div", { class: "filters" }, buttons, problem);
}

export async function mount(container, params) {
  // The evidence block's photos are object URLs: freed when it is redrawn or the screen closes.
  let disposeEvidence = () => {};
  let closed = false;
  async function load() {
    const result = await api("GET", `/api/v1/patrols/${encodeURIComponent(params.arg)}`);
    if (closed) return;
    if (!result.ok) return showProblem(container, result.problem);
    const patrol = result.data;
    const columns = [
      { key: "title", label: "问题" },
      { key: "level", label: "等级", render: (f) => f.proposed_level.label },
      { key: "category", label: "类别", render: (f) => (f.category ? f.category.label : "—") },
      { key: "deadline", label: "建议期限", render: (f) => h("span", { dataset: { testid: "finding-proposed-deadline" } }, f.deadline ? fmtDate(f.deadline) : "—") },
      { key: "basis", label: "依据", render: (f) => basisText(f.basis) },
      { key: "state", label: "状态", render: (f) => enumBadge(f.state) },
      { key: "hazard", label: "整改期限", render: (f) => (f.hazard_deadline ? fmtDate(f.hazard_deadline) : "—") },
      { key: "hazard_state", label: "隐患状态", render: (f) => (f.hazard_state ? enumBadge(f.hazard_state) : "—") },
      { key: "recorded", label: "记录", render: (f) => `${f.recorded_by_name || ""} ${fmtDateTime(f.recorded_at)}` },
      { key: "review", label: "审核", render: (f) => f.review_note || reviewCell(f, load) },
    ];
    const open = patrol.state.code === "open";
    const writer = patrol.engagement_id ? hasRole("auditor") : hasRole(...STAFF);
    const proposed = patrol.findings.some((f) => f.state.code === "proposed");
    const evidence = evidenceBlock(patrol, load, { canAsk: writer });
    disposeEvidence();
    disposeEvidence = evidence.dispose;
    fill(
      container,
      h(
        "div",
        { class: "screen-head" },
        h("h1", { text: `巡查 #${patrol.id} · ${patrol.enterprise_name}` }),
        enumBadge(patrol.state),
        h("span", { class: "muted", text: `${patrol.mode.label}${patrol.is_unannounced ? "（四不两直）" : ""}${patrol.agency_name ? ` · 委托 ${patrol.agency_name}` : ""}` }),
      ),
      patrol.summary ? h("p", { text: `小结：${patrol.summary}` }) : null,
      table(columns, patrol.findings, { testid: "findings-table", empty: "尚无发现", rowAttrs: (f) => ({ dataset: { findingId: f.id } }) }),
      shortfalls(patrol.evidence_shortfalls || []),
      patrol.order_ids.length
        ? h("p", {}, "已下达指令书：", patrol.order_ids.map((id) => h("a", { href: href("order", id), text: ` #${id}` })))
        : null,
      evidence,
      open && writer ? findingForm(patrol, load) : null,
      hasRole(...STAFF) && !proposed && patrol.findings.some((f) => f.state.code === "accepted") ? orderForm(patrol) : null,
      actions(patrol, load),
    );
  }
  await load();
  return () => {
    closed = true;
    disposeEvidence();
  };
}
