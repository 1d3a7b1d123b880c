// Drill-down tab: the enterprise's inspections, newest first, a page at a time, each with its
// inspector, place, results, plausibility warnings and photo thumbnails. Opened with a printed
// record's verification code (its QR), that record comes first, highlighted and in view.
import { api } from "../api.js";
import { fill, fmtDateTime, h, showProblem } from "../ui.js";
import { thumbnails } from "./enterprise-media.js";

const PAGE = 20;

function results(r) {
  return `已填 ${r.answered} 项：合格 ${r.pass}，不合格 ${r.fail}，不适用 ${r.na}`;
}

function card(item, loader, focused = false) {
  const warnings = item.flags || [];
  return h(
    "article",
    {
      class: "card",
      style: {
        marginBottom: "0.75rem",
        borderLeft: warnings.length ? "4px solid #f08a00" : undefined,
        outline: focused ? "3px solid #1f6feb" : undefined,
      },
      dataset: { testid: focused ? "inspection-focused" : "inspection", id: item.id, flagged: warnings.length ? "true" : "false" },
    },
    h(
      "div",
      { style: { display: "flex", justifyContent: "space-between", gap: "1rem", flexWrap: "wrap" } },
      h("strong", { text: `${fmtDateTime(item.finished_at)} · ${item.checklist_title || "检查表"}` }),
      h("span", { class: "muted", text: `${item.inspection_type?.label || item.inspection_type?.code || ""} · ${item.source?.label || ""}` }),
    ),
    h(
      "dl",
      { class: "facts", style: { marginTop: "0.5rem" } },
      h("dt", { text: "校验码" }),
      h("dd", { text: item.verification_code || "—", dataset: { testid: "inspection-code" } }),
      h("dt", { text: "检查人" }),
      h("dd", { text: item.inspector_name || "—", dataset: { testid: "inspection-inspector" } }),
      h("dt", { text: "检查点" }),
      h("dd", { text: item.place ? `${item.place.name}${item.qr_scanned ? "（已扫码）" : ""}` : "—" }),
      h("dt", { text: "检查时间" }),
      h("dd", { text: `${fmtDateTime(item.started_at)} — ${fmtDateTime(item.finished_at)}（接收 ${fmtDateTime(item.received_at)}）` }),
      h("dt", { text: "结果" }),
      h("dd", { text: results(item.results), dataset: { testid: "inspection-results" } }),
      h("dt", { text: "发现隐患" }),
      h("dd", { text: `${item.hazard_count} 条` }),
    ),
    warnings.length
      ? h(
          "div",
          { class: "problem", role: "note", style: { borderLeftColor: "#f08a00", background: "#fff7e8" } },
          h("strong", { text: "合理性提示" }),
          h(
            "ul",
            {},
            warnings.map((f) => h("li", { dataset: { testid: "inspection-flag", code: f.code }, text: f.message || f.code })),
          ),
        )
      : null,
    (item.failed_items || []).length
      ? h(
          "div",
          {},
          h("div", { class: "muted", text: "不合格项" }),
          h(
            "ul",
            { style: { margin: "0.2rem 0" } },
            item.failed_items.map((f) =>
              h(
                "li",
                { dataset: { testid: "failed-item" } },
                f.item_text || "检查项",
                f.note ? `：${f.note}` : "",
                " ",
                h("small", { class: "muted", text: f.item_id }),
              ),
            ),
          ),
        )
      : null,
    thumbnails(loader, item.media_ids, "inspection-photo"),
  );
}

// The record a verification code names, shown above the list; a problem (unknown code, not
// allowed, several records) is shown in its place.
async function showRecord(box, enterprise, code, loader, isAlive) {
  fill(box, h("p", { class: "muted", text: `正在查找校验码 ${code} 对应的记录…` }));
  const found = await api("GET", `/api/v1/inspections/by-code/${encodeURIComponent(code)}?enterprise_id=${enterprise.id}`);
  if (!isAlive()) return;
  if (!found.ok) return showProblem(box, found.problem);
  const query = new URLSearchParams({ limit: "1", inspection_id: found.data.id });
  const result = await api("GET", `/api/v1/oversight/enterprises/${enterprise.id}/inspections?${query}`);
  if (!isAlive()) return;
  if (!result.ok || !result.data.items.length) return showProblem(box, result.problem || { title: "未找到该记录" });
  fill(
    box,
    h("h3", { text: `校验码 ${found.data.verification_code} 对应的记录` }),
    card(result.data.items[0], loader, true),
    h("h3", { text: "全部排查记录" }),
  );
  box.scrollIntoView({ block: "start" });
}

export async function mount(container, { enterprise, loader, record }) {
  const list = h("div", { dataset: { testid: "inspection-list" } });
  const more = h("div");
  const status = h("div");
  const focused = h("div", { dataset: { testid: "inspection-record" } });
  fill(container, focused, status, list, more);
  let alive = true;
  if (record) await showRecord(focused, enterprise, record, loader, () => alive);

  async function load(cursor) {
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (cursor) query.set("cursor", cursor);
    fill(more, h("p", { class: "muted", text: "正在加载…" }));
    const result = await api("GET", `/api/v1/oversight/enterprises/${enterprise.id}/inspections?${query}`);
    if (!alive) return;
    fill(more);
    if (!result.ok) {
      showProblem(status, result.problem);
      return;
    }
    const { items, next_cursor: next } = result.data;
    if (!cursor && !items.length) {
      fill(list, h("p", { class: "muted empty", text: "该企业暂无排查记录。", dataset: { testid: "inspections-empty" } }));
      return;
    }
    list.append(...items.map((item) => card(item, loader)));
    if (next) {
      fill(more, h("button", { type: "button", class: "secondary", text: "加载更多", dataset: { testid: "inspections-more" }, on: { click: () => load(next) } }));
    }
  }

  await load(null);
  return () => {
    alive = false;
  };
}
