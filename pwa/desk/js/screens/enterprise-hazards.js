// Drill-down tab: the enterprise's hazards (state, level, deadline, overdue, source); a click
// shows the hazard's full history (every HazardTransition row) and its photos.
import { api } from "../api.js";
import { hasRole } from "../session.js";
import { badge, codeOf, enumBadge, fill, fmtDate, fmtDateTime, h, labelOf, showProblem, table } from "../ui.js";
import { analogyForm } from "./campaign-origin.js";
import { thumbnails } from "./enterprise-media.js";

const PAGE = 50;
const LEVEL_COLOUR = { major: "red", general: "yellow" };

function levelBadge(row) {
  if (row.level) return badge(LEVEL_COLOUR[codeOf(row.level)] || codeOf(row.level), labelOf(row.level));
  return h("span", { class: "muted", text: `${labelOf(row.proposed_level)}（待确认）` });
}

const COLUMNS = [
  { key: "title", label: "隐患", render: (r) => h("span", { text: r.title, style: { color: "var(--brand)", textDecoration: "underline" }, dataset: { testid: "hazard-open" } }) },
  { key: "state", label: "状态", render: (r) => enumBadge(r.state) },
  { key: "level", label: "等级", render: levelBadge },
  { key: "deadline", label: "整改期限", render: (r) => (r.deadline ? fmtDate(r.deadline) : "—") },
  { key: "overdue", label: "逾期", render: (r) => (r.is_overdue ? badge("alert", "已逾期") : "") },
  { key: "source", label: "来源", render: (r) => labelOf(r.source) },
  { key: "place", label: "位置", render: (r) => r.place_name || "—" },
  { key: "reported_at", label: "发现时间", render: (r) => fmtDateTime(r.reported_at) },
];

function history(rows) {
  if (!rows.length) return h("p", { class: "muted", text: "暂无流转记录。" });
  return h(
    "ol",
    { dataset: { testid: "hazard-history" }, style: { paddingLeft: "1.4rem" } },
    rows.map((t) =>
      h(
        "li",
        { dataset: { testid: "hazard-transition", action: t.action?.code || "" }, style: { marginBottom: "0.4rem" } },
        h("strong", { text: t.action?.label || t.action?.code }),
        " ",
        h("span", { class: "muted", text: `${fmtDateTime(t.created_at)} · ${t.actor_name}` }),
        h("div", { text: `${labelOf(t.from_state) || "—"} → ${labelOf(t.to_state)}` }),
        t.note ? h("div", { class: "muted", text: `说明：${t.note}` }) : null,
      ),
    ),
  );
}

// The server words each reference (document name and number, the article only where verified);
// a held-back article is marked for the regulator, who may check it against the text.
function basisText(basis) {
  return (basis || []).map((b) => `${b.citation}${b.is_clause_pending ? "（条号待核）" : ""}`).join("；") || "—";
}

function detail(hazard, loader) {
  return h(
    "div",
    { class: "card", style: { marginTop: "1rem" }, dataset: { testid: "hazard-detail", id: hazard.id } },
    h("h2", { style: { marginTop: 0 }, text: hazard.title }),
    hazard.description ? h("p", { text: hazard.description }) : null,
    h(
      "dl",
      { class: "facts" },
      h("dt", { text: "状态" }),
      h("dd", {}, enumBadge(hazard.state), hazard.is_overdue ? [" ", badge("alert", "已逾期")] : null),
      h("dt", { text: "等级" }),
      h("dd", {}, levelBadge(hazard)),
      h("dt", { text: "整改期限" }),
      h("dd", { text: hazard.deadline ? fmtDate(hazard.deadline) : "—" }),
      h("dt", { text: "整改措施" }),
      h("dd", { text: hazard.measures || "—" }),
      h("dt", { text: "整改责任人" }),
      h("dd", { text: hazard.responsible_name || "—" }),
      h("dt", { text: "依据" }),
      h("dd", { text: basisText(hazard.basis), dataset: { testid: "hazard-basis" } }),
    ),
    thumbnails(loader, hazard.media_ids, "hazard-photo"),
    h("h2", { text: "流转记录" }),
    history(hazard.history || []),
    // 举一反三 from a hazard: the bureau's admin asks the same industry to check the same thing.
    hasRole("regulator_admin") ? analogyForm("hazard", hazard.id, hazard.title) : null,
  );
}

export async function mount(container, { enterprise, loader }) {
  const status = h("div");
  const holder = h("div", { dataset: { testid: "hazard-list" } });
  const more = h("div", { style: { marginTop: "0.5rem" } });
  const detailBox = h("div");
  fill(container, status, holder, more, detailBox);
  const rows = [];
  let alive = true;
  let opened = 0;

  async function open(row) {
    const ticket = ++opened;
    fill(detailBox, h("p", { class: "muted", text: "正在加载隐患详情…" }));
    const result = await api("GET", `/api/v1/hazards/${row.id}`);
    if (!alive || ticket !== opened) return;
    if (!result.ok) return showProblem(detailBox, result.problem);
    fill(detailBox, detail(result.data, loader));
    detailBox.scrollIntoView({ block: "nearest" });
  }

  function render() {
    fill(
      holder,
      table(COLUMNS, rows, {
        testid: "hazard-table",
        empty: "该企业暂无隐患。",
        rowAttrs: (row) => ({
          class: row.is_overdue ? "alert" : "",
          style: { cursor: "pointer" },
          dataset: { testid: "hazard-row", id: row.id },
          on: { click: () => open(row) },
        }),
      }),
    );
  }

  async function load(cursor) {
    const query = new URLSearchParams({ enterprise_id: String(enterprise.id), limit: String(PAGE) });
    if (cursor) query.set("cursor", cursor);
    const result = await api("GET", `/api/v1/hazards?${query}`);
    if (!alive) return;
    fill(more);
    if (!result.ok) return showProblem(status, result.problem);
    rows.push(...result.data.items);
    render();
    const next = result.data.next_cursor;
    if (next) {
      fill(more, h("button", { type: "button", class: "secondary", text: "加载更多", dataset: { testid: "hazards-more" }, on: { click: () => load(next) } }));
    }
  }

  await load(null);
  return () => {
    alive = false;
  };
}
