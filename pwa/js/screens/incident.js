// 事故报告: the head or safety officer files a quick report (快报) and follow-ups (续报). Reports
// go through the outbox under client UUIDs, so they queue offline and sync once; the server's
// receiving time decides lateness. #/incident lists reports, #/incident/<id> shows one.
import * as api from "../api.js";
import * as db from "../db.js";
import * as outbox from "../outbox.js";
import { currentEnterprise, navigate, roleCodes } from "../session.js";
import { syncNow } from "../sync.js";
import { emptyState, formatDateTime, h, labelOf, loading, problemText, screenTitle, toast, uuid } from "../ui.js";

// GB 6441-1986 事故类别 come from the server (GET incidents/categories); the last answer is kept
// in IndexedDB, so the form works offline after one online visit. → [{code, label}], [] if never seen.
export async function loadCategories() {
  const result = await api.request("incidents/categories");
  if (result.ok && Array.isArray(result.data?.items)) {
    await db.putReferenceList("incident-categories", result.data.items).catch(() => {});
    return result.data.items;
  }
  return (await db.getReferenceList("incident-categories").catch(() => null)) || [];
}

const REPORTERS = ["head", "safety_officer"];
const pad = (n) => String(n).padStart(2, "0");

function localInputValue(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function field(id, text, control) {
  control.id = id;
  control.name = id;
  return [h("label", { for: id }, text), control];
}

function count(name) {
  return h("input", { type: "number", min: "0", step: "1", value: "0", inputmode: "numeric", required: true, "data-testid": `incident-${name}` });
}

// Pure: the report fields of a form as the API wants them (numbers as integers, loss as text).
export function reportFields(values) {
  const loss = String(values.loss ?? "").trim();
  return {
    id: values.id,
    deaths: Number.parseInt(values.deaths || "0", 10),
    injuries: Number.parseInt(values.injuries || "0", 10),
    missing: Number.parseInt(values.missing || "0", 10),
    ...(loss ? { direct_loss_estimate: loss } : {}),
    description: String(values.description || "").trim(),
    measures: String(values.measures || "").trim(),
  };
}

function reportControls(prefix) {
  const controls = {
    deaths: count(`${prefix}deaths`),
    injuries: count(`${prefix}injuries`),
    missing: count(`${prefix}missing`),
    loss: h("input", { type: "number", min: "0", step: "0.01", inputmode: "decimal", "data-testid": `incident-${prefix}loss` }),
    description: h("textarea", { rows: 3, required: true, "data-testid": `incident-${prefix}description` }),
    measures: h("textarea", { rows: 2, "data-testid": `incident-${prefix}measures` }),
  };
  const nodes = [
    h("div.row", {}, h("div", {}, field(`${prefix}deaths`, "死亡（人）", controls.deaths)), h("div", {}, field(`${prefix}injuries`, "受伤（人）", controls.injuries)), h("div", {}, field(`${prefix}missing`, "失踪（人）", controls.missing))),
    field(`${prefix}loss`, "直接经济损失估算（元，可不填）", controls.loss),
    field(`${prefix}description`, "事故简要经过", controls.description),
    field(`${prefix}measures`, "已采取的措施", controls.measures),
  ];
  const read = (id) => reportFields({ id, ...Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.value])) });
  return { nodes, read };
}

function canReport() {
  return roleCodes().some((r) => REPORTERS.includes(r));
}

function quickForm(enterprise, categories, onQueued) {
  const error = h("p.error", { role: "alert" });
  const occurred = h("input", { type: "datetime-local", required: true, value: localInputValue(new Date()), "data-testid": "incident-occurred" });
  const location = h("input", { type: "text", maxlength: 200, required: true, "data-testid": "incident-location" });
  const category = h(
    "select",
    { required: true, "data-testid": "incident-category" },
    h("option", { value: "" }, "请选择事故类别"),
    categories.map((c) => h("option", { value: c.code }, c.label)),
  );
  const categoryHint = categories.length ? null : h("p.error.small", { "data-testid": "incident-categories-missing" }, "事故类别尚未下载，请联网打开本页一次。");
  const title = h("input", { type: "text", maxlength: 200, required: true, "data-testid": "incident-title" });
  const report = reportControls("");
  const form = h(
    "form.card",
    { "data-testid": "incident-quick-form", novalidate: true },
    h("h2", {}, "事故快报"),
    h("p.small.muted", {}, "事故发生后请立即报告；以服务器收到快报的时间判断是否超时（1小时内）。"),
    field("occurred", "发生时间", occurred),
    field("location", "发生地点", location),
    field("category", "事故类别", category),
    categoryHint,
    field("title", "事故名称", title),
    report.nodes,
    error,
    h("button", { type: "submit", "data-testid": "incident-submit" }, "提交快报"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const when = new Date(occurred.value);
    const fields = report.read(uuid());
    const missing = [];
    if (Number.isNaN(when.getTime())) missing.push("发生时间");
    else if (when.getTime() > Date.now() + 60000) missing.push("发生时间不能晚于现在");
    if (!location.value.trim()) missing.push("发生地点");
    if (!category.value) missing.push("事故类别");
    if (!title.value.trim()) missing.push("事故名称");
    if (!fields.description) missing.push("事故简要经过");
    if ([fields.deaths, fields.injuries, fields.missing].some((n) => !Number.isInteger(n) || n < 0)) missing.push("人数须为非负整数");
    if (missing.length) {
      error.textContent = `请填写：${missing.join("、")}`;
      return;
    }
    const id = uuid();
    await outbox.add({
      id,
      kind: "incident",
      payload: {
        id,
        enterprise_id: enterprise.id,
        occurred_at: when.toISOString(),
        location: location.value.trim(),
        category: category.value,
        title: title.value.trim(),
        report: fields,
      },
      label: { title: `事故快报：${title.value.trim()}`, summary: category.selectedOptions[0]?.textContent || "" },
      enterpriseId: enterprise.id,
    });
    toast(navigator.onLine ? "快报已保存，正在上报。" : "快报已保存在本机，联网后自动上报。", { kind: "ok" });
    syncNow({ force: true });
    onQueued(id);
  });
  return form;
}

function incidentRow(item, state, labels) {
  return h(
    "a.task",
    { href: `#/incident/${item.id}`, "data-incident-id": String(item.id), "data-testid": "incident-row" },
    h(
      "span.task-main",
      {},
      h("strong", {}, item.title),
      state
        ? h(`span.state.${state}`, {}, outbox.STATE_LABELS[state])
        : h(`span.badge${item.is_late ? ".bad" : ".ok"}`, {}, item.is_late ? "快报超时" : "按时快报"),
      item.is_escalated ? h("span.badge.bad", { "data-testid": "incident-escalated" }, "伤亡上升") : null,
    ),
    h("span.muted", {}, [labelOf(item.category, labels), item.location, formatDateTime(item.occurred_at)].filter(Boolean).join(" · ")),
  );
}

async function renderList(container, enterprise) {
  container.replaceChildren(screenTitle("事故报告"), loading());
  const categories = await loadCategories();
  const labels = Object.fromEntries(categories.map((c) => [c.code, c.label]));
  const list = h("div", {}, loading());
  const parts = [screenTitle("事故报告")];
  if (canReport()) parts.push(quickForm(enterprise, categories, (id) => navigate(`#/incident/${id}`)));
  else parts.push(h("p.muted", {}, "只有主要负责人和安全管理人员可以报告事故。"));
  parts.push(h("h2", {}, "本企业事故报告"), list);
  container.replaceChildren(...parts);
  const [result, entries] = await Promise.all([api.request(`incidents?enterprise_id=${enterprise.id}`), outbox.list()]);
  const queued = entries.filter((e) => e.kind === "incident" && e.state !== "synced" && e.enterprise_id === enterprise.id);
  const server = result.ok ? result.data.items : [];
  const known = new Set(server.map((i) => String(i.id)));
  const rows = [
    ...queued.filter((e) => !known.has(e.id)).map((e) => incidentRow(e.payload, e.state, labels)),
    ...server.map((i) => incidentRow(i, null, labels)),
  ];
  list.replaceChildren(...(rows.length ? rows : [emptyState(result.ok ? "暂无事故报告。" : `离线或加载失败：${problemText(result)}`)]));
}

function followUpForm(incidentId, onQueued) {
  const report = reportControls("fu-");
  const error = h("p.error", { role: "alert" });
  const form = h(
    "form.card",
    { "data-testid": "incident-follow-up-form", novalidate: true },
    h("h2", {}, "事故续报"),
    report.nodes,
    error,
    h("button", { type: "submit", "data-testid": "incident-follow-up-submit" }, "提交续报"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = uuid();
    const fields = report.read(id);
    if (!fields.description) {
      error.textContent = "请填写：事故简要经过";
      return;
    }
    await outbox.add({
      id,
      kind: "incident_report",
      payload: { incident_id: incidentId, ...fields },
      label: { title: "事故续报", summary: fields.description.slice(0, 30) },
      enterpriseId: currentEnterprise()?.id,
    });
    toast("续报已保存，联网后自动上报。", { kind: "ok" });
    syncNow({ force: true });
    onQueued();
  });
  return form;
}

async function renderDetail(container, id) {
  container.replaceChildren(screenTitle("事故详情", h("a", { href: "#/incident" }, "返回")), loading());
  const [result, entries] = await Promise.all([api.request(`incidents/${id}`), outbox.list()]);
  const waiting = entries.filter(
    (e) => e.state !== "synced" && ((e.kind === "incident" && e.id === id) || (e.kind === "incident_report" && e.payload.incident_id === id)),
  );
  const body = [];
  if (result.ok) {
    const item = result.data;
    body.push(
      h(
        "section.card",
        { "data-testid": "incident-detail", "data-late": String(item.is_late), "data-escalated": String(item.is_escalated) },
        h("h2", {}, item.title),
        h("p", {}, `${labelOf(item.category)} · ${item.location}`),
        h("p", {}, `死亡 ${item.deaths} 人，受伤 ${item.injuries} 人，失踪 ${item.missing} 人`),
        item.is_escalated
          ? h("p.error", { "data-testid": "incident-escalations" }, `续报伤亡人数上升（应及时补报）：${item.escalations.map((e) => e.summary).join("；")}`)
          : null,
        h(`p${item.is_late ? ".error" : ".ok-text"}`, {}, item.is_late ? `快报超时：事故发生后 ${item.minutes_to_first_report} 分钟才报送（时限 ${item.limit_minutes} 分钟）` : `按时快报：事故发生后 ${item.minutes_to_first_report} 分钟报送`),
        h("ol", { "data-testid": "incident-timeline" }, item.timeline.map((e) => h("li", {}, `${formatDateTime(e.at)} ${e.label}${e.event === "occurred" ? "" : `（${e.minutes} 分钟）`}`))),
      ),
    );
  } else if (!waiting.length) {
    body.push(h("p.error", { role: "alert" }, problemText(result)));
  }
  for (const entry of waiting) {
    body.push(h("p.card", { "data-testid": "incident-waiting" }, h(`span.state.${entry.state}`, {}, outbox.STATE_LABELS[entry.state]), ` ${entry.label?.title || ""}`, entry.last_error ? h("span.error", {}, ` ${entry.last_error}`) : ""));
  }
  if (canReport() && (result.ok || waiting.some((e) => e.kind === "incident"))) {
    body.push(followUpForm(id, () => renderDetail(container, id)));
  }
  container.replaceChildren(screenTitle("事故详情", h("a", { href: "#/incident" }, "返回")), ...body);
}

export function mount(container, params) {
  const enterprise = currentEnterprise();
  const refresh = () => (params.id ? renderDetail(container, params.id) : renderList(container, enterprise));
  const onSynced = (event) => {
    if (["incident", "incident_report"].includes(event.detail?.kind)) refresh();
  };
  window.addEventListener("anxun:synced", onSynced);
  refresh();
  return () => window.removeEventListener("anxun:synced", onSynced);
}
