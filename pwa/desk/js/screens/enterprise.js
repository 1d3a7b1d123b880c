// One enterprise as its supervisors see it (read-only): facts and indicators, then tabs for its
// inspections (photos, plausibility flags), hazards (with history) and risk (grade, map, register).
import { api } from "../api.js";
import { percent } from "../labels.js";
import { href, replaceQuery } from "../routes.js";
import { hasRole } from "../session.js";
import { badge, fill, fmtDateTime, h, showProblem } from "../ui.js";
import { imageLoader } from "./enterprise-media.js";

const TABS = [
  ["inspections", "排查记录", () => import("./enterprise-inspections.js")],
  ["hazards", "隐患", () => import("./enterprise-hazards.js")],
  ["risk", "风险分级管控", () => import("./enterprise-risk.js")],
];

// [testid, label, value(summary, overviewRow), alert when > 0]
const KPIS = [
  ["open", "未闭环隐患", (s) => s.hazards.open],
  ["overdue", "超期未整改", (s) => s.hazards.overdue, true],
  ["major", "重大事故隐患", (s) => s.hazards.major_open, true],
  ["flagged", "存疑排查记录", (s) => s.inspections.flagged, true],
  ["recent", `近 30 天排查`, (s) => s.inspections.recent],
];
// Only regulators get the jurisdiction overview row (orders and listings are theirs).
const REGULATOR_KPIS = [
  ["listed", "挂牌督办", (s, r) => r.listed_major_hazards],
  ["unacknowledged", "整改指令未签收", (s, r) => r.unacknowledged_orders],
  ["escalated", "逾期未签收", (s, r) => r.escalated_orders, true],
];

function kpi([key, label, value, alert], summary, row) {
  const v = value(summary, row);
  return h(
    "div",
    { class: ["kpi", alert && v > 0 && "alert"], dataset: { testid: `kpi-${key}`, value: v } },
    h("div", { class: "value", text: v }),
    h("div", { class: "label", text: label }),
  );
}

function facts(s, row) {
  const colour = s.grade?.colour;
  const pairs = [
    ["统一社会信用代码", s.uscc],
    ["行政区划", s.region_name || s.region_code],
    ["行业", (s.industries || []).map((i) => i.label).join("、")],
    ["规模", s.size_class?.label || "—"],
    ["地址", s.address || "—"],
    ["主要负责人", s.head_phone ? `${s.head_name}（${s.head_phone}）` : s.head_name || "—"],
    ["重大危险源", s.has_major_hazard_source ? "有" : "无"],
    ["风险等级", colour?.code ? badge(colour.code, `${colour.label}色`) : "未评定"],
    ["最近排查", s.inspections.last_finished_at ? fmtDateTime(s.inspections.last_finished_at) : "无记录"],
  ];
  // The grade's own figure (same period, same rule), so the two never disagree.
  if (row) pairs.push(["在线运行率（今日之前 30 天）", row.operation_rate == null ? "无数据（期间没有到期的排查任务）" : percent(row.operation_rate)]);
  return h("dl", { class: "facts card", dataset: { testid: "enterprise-facts" } }, pairs.map(([k, v]) => [h("dt", { text: k }), h("dd", {}, v)]));
}

export async function mount(container, { arg, query }) {
  const id = Number(arg);
  if (!Number.isInteger(id) || id <= 0) return showProblem(container, { title: "企业编号不正确" });
  const regulator = hasRole("regulator_admin", "regulator_inspector", "platform_admin");
  const [summary, overview] = await Promise.all([
    api("GET", `/api/v1/oversight/enterprises/${id}`),
    regulator ? api("GET", `/api/v1/oversight/overview/${id}`) : Promise.resolve({ ok: false }),
  ]);
  if (!summary.ok) return showProblem(container, summary.problem);
  const s = summary.data;
  const row = overview.ok ? overview.data : null;

  const loader = imageLoader();
  let unmountTab = null;
  let alive = true;
  const body = h("div", { class: "tab-body" });
  const buttons = TABS.map(([key, label]) =>
    h("button", { type: "button", class: "tab", text: label, dataset: { testid: `tab-${key}`, tab: key }, on: { click: () => show(key) } }),
  );

  // A printed record's QR opens ?tab=inspections&record=<校验码>: that tab shows the record first.
  let record = query?.record || null;

  async function show(key) {
    if (unmountTab) unmountTab();
    unmountTab = null;
    for (const b of buttons) b.classList.toggle("active", b.dataset.tab === key);
    const wanted = key === "inspections" ? record : null;
    record = null;
    replaceQuery({ screen: "enterprise", arg }, { tab: key === TABS[0][0] ? null : key, record: wanted });
    fill(body, h("p", { class: "muted", text: "正在加载…" }));
    const module = await TABS.find(([k]) => k === key)[2]();
    if (!alive) return;
    const pane = h("div", { dataset: { testid: `pane-${key}` } });
    fill(body, pane);
    const result = await module.mount(pane, { enterprise: s, loader, record: wanted });
    if (typeof result === "function") unmountTab = result;
  }

  fill(
    container,
    h(
      "div",
      { class: "screen-head" },
      h("h1", { text: s.name, dataset: { testid: "enterprise-name", id } }),
      regulator ? h("a", { href: href("overview"), text: "← 返回总览" }) : null,
      regulator ? h("a", { href: href("map"), text: "在一张图中查看" }) : null,
      h("a", { href: href("patrols", null, { enterprise_id: id }), text: "网上巡查" }),
    ),
    h("div", { class: "kpis", dataset: { testid: "enterprise-kpis" } }, [...KPIS.map((k) => kpi(k, s, row)), ...(row ? REGULATOR_KPIS.map((k) => kpi(k, s, row)) : [])]),
    facts(s, row),
    h("div", { class: "tabs", role: "tablist" }, buttons),
    body,
  );
  const wanted = TABS.some(([k]) => k === query?.tab) ? query.tab : TABS[0][0];
  await show(wanted);
  return () => {
    alive = false;
    if (unmountTab) unmountTab();
    loader.dispose();
  };
}
