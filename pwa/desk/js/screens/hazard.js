// 隐患详情 (enterprise desk): the hazard's facts, its source (a regulator's order with its 文号),
// before/after photos side by side at full size, one form per action the API offers this user
// (available_actions), and the history with who, when, what and photos.
import { api, fetchBlob } from "../api.js";
import { href } from "../routes.js";
import { badge, codeOf, enumBadge, fill, fmtDate, fmtDateTime, h, labelOf, showProblem, toast } from "../ui.js";
import { uploadImage } from "./desk-upload.js";
import { imageLoader, thumbnails } from "./enterprise-media.js";
import { levelBadge } from "./ledger.js";

const LEVELS = [
  ["general", "一般隐患"],
  ["major", "重大隐患"],
];
const CATEGORIES = [
  ["thing", "物的不安全状态"],
  ["behaviour", "人的不安全行为"],
  ["management", "管理上的缺陷"],
  ["environment", "环境不良因素"],
];
const PLAN = ["responsible_user_id", "measures", "funds", "deadline", "contingency"];
// The form fields of each action (services.ACTION_FIELDS), plus an optional note.
const FORMS = {
  confirm: ["level", "category", "deadline"],
  reject: ["reason"],
  fix_on_spot: ["after_media_ids", "note"],
  plan: PLAN,
  submit_plan: [...PLAN, "governance_plan_id"],
  approve_plan: ["note"],
  submit_rectification: ["after_media_ids", "note"],
  verify_pass: ["note"],
  verify_reject: ["reason"],
  signoff: ["note"],
  signoff_reject: ["reason"],
  regrade: ["level", "reason"],
};
const DANGER = new Set(["reject", "verify_reject", "signoff_reject"]);

function today() {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date());
}

function field(name, people, hazard) {
  const id = `hz-${name}`;
  const testid = { dataset: { testid: `hz-${name}` } };
  const label = (text, control) => h("label", { class: "field", htmlFor: id }, text, control);
  switch (name) {
    case "level":
      return label("隐患等级", h("select", { id, name, required: true, ...testid }, LEVELS.map(([code, text]) => h("option", { value: code, text, selected: (codeOf(hazard.level) || codeOf(hazard.proposed_level)) === code }))));
    case "category":
      return label("隐患类别", h("select", { id, name, required: true, ...testid }, h("option", { value: "", text: "请选择" }), CATEGORIES.map(([code, text]) => h("option", { value: code, text, selected: codeOf(hazard.category) === code }))));
    case "deadline":
      return label("整改期限", h("input", { id, name, type: "date", required: true, min: today(), value: hazard.deadline || "", ...testid }));
    case "responsible_user_id":
      return label(
        "整改责任人",
        h(
          "select",
          { id, name, required: true, ...testid },
          h("option", { value: "", text: "请选择本企业人员" }),
          people.map((p) => h("option", { value: String(p.id), text: `${p.display_name}（${p.roles}）`, selected: hazard.responsible_user_id === p.id })),
        ),
      );
    case "measures":
      return label("整改措施", h("textarea", { id, name, rows: 3, required: true, maxlength: 2000, ...testid }, hazard.measures || ""));
    case "funds":
      return label("整改资金（元）", h("input", { id, name, type: "number", min: "0", step: "0.01", required: true, value: hazard.funds ?? "", ...testid }));
    case "contingency":
      return label("应急预案 / 防范措施", h("textarea", { id, name, rows: 2, required: true, maxlength: 2000, ...testid }, hazard.contingency || ""));
    case "governance_plan_id":
      return label("重大隐患治理方案（扫描件或照片）", h("input", { id, name, type: "file", accept: "image/jpeg,image/png,image/webp", required: true, ...testid }));
    case "after_media_ids":
      return label("整改后照片", h("input", { id, name, type: "file", accept: "image/jpeg,image/png,image/webp", multiple: true, required: true, ...testid }));
    case "reason":
      return label("理由", h("textarea", { id, name, rows: 2, required: true, maxlength: 1000, ...testid }));
    default:
      return label("说明（可选）", h("textarea", { id, name, rows: 2, maxlength: 2000, ...testid }));
  }
}

async function collect(form, names, hazard) {
  const body = {};
  for (const name of names) {
    const control = form.elements[name];
    if (!control) continue;
    if (name === "after_media_ids" || name === "governance_plan_id") {
      const ids = [];
      for (const file of control.files) {
        const sent = await uploadImage(file, hazard.enterprise_id);
        if (!sent.ok) return { problem: sent.problem };
        ids.push(sent.data.id);
      }
      body[name] = name === "governance_plan_id" ? ids[0] : ids;
    } else if (name === "responsible_user_id") {
      body[name] = Number(control.value);
    } else if (name === "funds") {
      body[name] = Number(control.value);
    } else if (control.value.trim() !== "" || name !== "note") {
      body[name] = control.value.trim();
    }
  }
  return { body };
}

function actionForm(action, hazard, people, onDone) {
  const names = FORMS[action.code] || ["note"];
  const error = h("div");
  const submit = h("button", { type: "submit", class: DANGER.has(action.code) ? "danger" : "primary", text: action.label, dataset: { testid: `hz-submit-${action.code}` } });
  const form = h(
    "form",
    {
      class: "card action-form",
      dataset: { testid: `hz-form-${action.code}` },
      on: {
        submit: async (event) => {
          event.preventDefault();
          submit.disabled = true;
          fill(error);
          const { body, problem } = await collect(form, names, hazard);
          if (problem) {
            submit.disabled = false;
            return showProblem(error, problem);
          }
          const result = await api("POST", `/api/v1/hazards/${hazard.id}/transitions`, {
            action: action.code,
            expected_state: codeOf(hazard.state),
            client_id: crypto.randomUUID(),
            ...body,
          });
          submit.disabled = false;
          if (!result.ok) return showProblem(error, result.problem);
          toast(`已${action.label}`);
          onDone(result.data);
        },
      },
    },
    h("h2", { text: action.label }),
    names.map((name) => field(name, people, hazard)),
    error,
    submit,
  );
  return form;
}

// The latest after-photos (整改后) from the history's evidence.
function afterPhotos(hazard) {
  const rows = [...(hazard.history || [])].reverse();
  const done = rows.find((t) => Array.isArray(t.evidence?.after_media_ids) && t.evidence.after_media_ids.length);
  return done ? done.evidence.after_media_ids : [];
}

function photoColumn(loader, title, ids, testid) {
  return h(
    "figure",
    { class: "photo-column", dataset: { testid } },
    h("figcaption", { text: title }),
    ids.length
      ? ids.map((id) =>
          h(
            "a",
            { href: "#", title: "在新标签页打开原图", on: { click: (event) => { event.preventDefault(); loader.open(`/api/v1/media/${id}`); } } },
            loader.image(`/api/v1/media/${id}`, { class: "full-photo", alt: title, dataset: { testid: `${testid}-img`, mediaId: id } }),
          ),
        )
      : h("p", { class: "muted", text: "暂无照片" }),
  );
}

function history(loader, rows) {
  if (!rows.length) return h("p", { class: "muted", text: "暂无流转记录。" });
  return h(
    "ol",
    { class: "history", dataset: { testid: "hazard-history" } },
    rows.map((t) => {
      const evidence = t.evidence || {};
      const facts = [];
      if (evidence.level) facts.push(`等级：${LEVELS.find(([c]) => c === evidence.level)?.[1] || evidence.level}`);
      if (evidence.category) facts.push(`类别：${CATEGORIES.find(([c]) => c === evidence.category)?.[1] || evidence.category}`);
      if (evidence.deadline) facts.push(`期限：${evidence.deadline}`);
      if (evidence.measures) facts.push(`措施：${evidence.measures}`);
      if (evidence.funds !== undefined && evidence.funds !== null) facts.push(`资金：${evidence.funds} 元`);
      if (evidence.contingency) facts.push(`预案：${evidence.contingency}`);
      if (evidence.reason) facts.push(`理由：${evidence.reason}`);
      const photos = [...(evidence.media_ids || []), ...(evidence.after_media_ids || []), ...(evidence.governance_plan_id ? [evidence.governance_plan_id] : [])];
      return h(
        "li",
        { dataset: { testid: "hazard-transition", action: t.action?.code || "" } },
        h("strong", { text: t.action?.label || t.action?.code }),
        " ",
        h("span", { class: "muted", text: `${fmtDateTime(t.created_at)} · ${t.actor_name}` }),
        h("div", { text: `${labelOf(t.from_state) || "—"} → ${labelOf(t.to_state)}` }),
        facts.length ? h("div", { class: "muted", text: facts.join("；") }) : null,
        t.note ? h("div", { class: "muted", text: `说明：${t.note}` }) : null,
        thumbnails(loader, photos, "history-photo"),
      );
    }),
  );
}

function facts(hazard) {
  const rows = [
    ["状态", [enumBadge(hazard.state), hazard.is_overdue ? [" ", badge("alert", "已逾期")] : null]],
    ["等级", levelBadge(hazard)],
    ["类别", labelOf(hazard.category) || "—"],
    ["来源", h("span", { dataset: { testid: "hazard-source" }, text: labelOf(hazard.source) })],
    ["位置", hazard.place_name || "—"],
    ["发现人", `${hazard.reported_by_name || "—"} · ${fmtDateTime(hazard.reported_at)}`],
    ["整改期限", h("span", { class: hazard.is_overdue ? "overdue" : "", text: hazard.deadline ? fmtDate(hazard.deadline) : "—" })],
    ["整改责任人", hazard.responsible_name || "—"],
    ["整改措施", hazard.measures || "—"],
    ["整改资金", hazard.funds !== null && hazard.funds !== undefined ? `${hazard.funds} 元` : "—"],
    ["应急预案", hazard.contingency || "—"],
    ["依据", (hazard.basis || []).map((b) => `${b.citation}${b.is_clause_pending ? "（条号待核）" : ""}`).join("；") || "—"],
  ];
  return h("dl", { class: "facts" }, rows.map(([dt, dd]) => [h("dt", { text: dt }), h("dd", {}, dd)]));
}

function orders(hazard) {
  if (!hazard.orders?.length) return null;
  return h(
    "div",
    { class: "card", dataset: { testid: "hazard-orders" } },
    h("h2", { text: "监管整改指令" }),
    hazard.orders.map((o) =>
      h(
        "p",
        { dataset: { testid: "hazard-order" } },
        h("strong", { text: `文号：${o.number}` }),
        ` · 下达 ${fmtDateTime(o.issued_at)} · 期限 ${fmtDate(o.deadline)} · ${labelOf(o.state)} · `,
        o.acknowledged_at ? `已签收（${fmtDateTime(o.acknowledged_at)}）` : h("span", { class: "overdue", text: "未签收" }),
        " ",
        h("button", { type: "button", class: "secondary", text: "指令书 PDF", on: { click: () => openPdf(`/api/v1/orders/${o.id}/pdf`) } }),
      ),
    ),
  );
}

async function openPdf(path) {
  const blob = await fetchBlob(path);
  if (!blob) return toast("文件加载失败", { kind: "error" });
  window.open(URL.createObjectURL(blob), "_blank", "noopener");
}

async function loadPeople(enterpriseId) {
  const result = await api("GET", `/api/v1/enterprises/${enterpriseId}/users`);
  if (!result.ok) return [];
  return result.data
    .filter((u) => u.is_active)
    .map((u) => ({
      id: u.id,
      display_name: u.display_name,
      roles: u.memberships.filter((m) => m.enterprise_id === enterpriseId).map((m) => labelOf(m.role)).join("、"),
    }));
}

export async function mount(container, { arg }) {
  const loader = imageLoader();
  let alive = true;
  let people = null;

  async function show(hazard) {
    if (!alive) return;
    if (people === null && hazard.available_actions.some((a) => FORMS[a.code]?.includes("responsible_user_id"))) {
      people = await loadPeople(hazard.enterprise_id);
      if (!alive) return;
    }
    const actions = hazard.available_actions || [];
    const after = afterPhotos(hazard);
    fill(
      container,
      h("p", {}, h("a", { href: href("ledger"), text: "← 返回隐患台账" })),
      h("div", { class: "screen-head" }, h("h1", { text: hazard.title, dataset: { testid: "hazard-title" } }), enumBadge(hazard.state)),
      hazard.description ? h("p", { text: hazard.description }) : null,
      h(
        "div",
        { class: "hazard-layout" },
        h("div", { class: "card" }, facts(hazard), h("p", {}, h("button", { type: "button", class: "secondary", text: "整改通知单 PDF", dataset: { testid: "hazard-notice" }, on: { click: () => openPdf(`/api/v1/hazards/${hazard.id}/notice.pdf`) } }))),
        h(
          "div",
          { class: "hazard-actions", dataset: { testid: "hazard-actions" } },
          actions.length
            ? actions.map((a) => actionForm(a, hazard, people || [], (next) => show(next)))
            : h("p", { class: "muted card", text: codeOf(hazard.state) === "closed" ? "该隐患已销号。" : "当前没有需要您办理的操作。" }),
        ),
      ),
      orders(hazard),
      h("h2", { text: "整改前后对比" }),
      h("div", { class: "photo-compare", dataset: { testid: "photo-compare" } }, photoColumn(loader, "整改前", hazard.media_ids || [], "before"), photoColumn(loader, "整改后", after, "after")),
      hazard.governance_plan_id ? [h("h2", { text: "重大隐患治理方案" }), thumbnails(loader, [hazard.governance_plan_id], "governance-plan")] : null,
      h("h2", { text: "流转记录" }),
      history(loader, hazard.history || []),
    );
  }

  const result = await api("GET", `/api/v1/hazards/${encodeURIComponent(arg || "")}`);
  if (!alive) return undefined;
  if (!result.ok) showProblem(container, result.problem);
  else await show(result.data);
  return () => {
    alive = false;
    loader.dispose();
  };
}
