// 特殊作业 (GB 30871—2022) live: special work under way in the jurisdiction right now by kind and
// grade (特级动火 and 受限空间 first), permits that ran past their window or skipped a
// re-analysis; each permit opens read-only.
import { api } from "../api.js";
import { href } from "../routes.js";
import { badge, fill, fmtDateTime, h, showProblem, table } from "../ui.js";

const FIRST = ["hot_work:special", "confined_space:none", "hot_work:first"];

// Pure: counts with 特级动火, 受限空间 and 一级动火 first, then the rest by label.
export function countsFirst(items) {
  const rank = (row) => {
    const at = FIRST.indexOf(`${row.kind.code}:${row.grade.code}`);
    return at === -1 ? FIRST.length : at;
  };
  return [...items].sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label, "zh-CN"));
}

function permitTable(rows, testid, empty) {
  return table(
    [
      { key: "number", label: "作业票", render: (row) => h("a", { href: href("permit", row.id), dataset: { testid: "permit-link" } }, row.number) },
      { key: "enterprise_name", label: "企业", render: (row) => h("a", { href: href("enterprise", row.enterprise_id) }, row.enterprise_name) },
      { key: "label", label: "类别及级别" },
      { key: "place", label: "地点", render: (row) => row.place.name },
      { key: "state", label: "状态", render: (row) => badge(row.state.code, row.state.label) },
      { key: "valid_to", label: "有效期至", render: (row) => fmtDateTime(row.valid_to) },
      {
        key: "flags",
        label: "异常",
        render: (row) => [
          row.is_past_window ? badge("red", "超过有效期") : null,
          row.is_reanalysis_missed ? badge("red", "未按时复检") : null,
        ],
      },
    ],
    rows,
    { testid, empty, rowAttrs: (row) => ({ dataset: { testid: `${testid}-row`, number: row.number } }) },
  );
}

export async function mount(container) {
  const box = h("div");
  fill(container, h("div", { class: "screen-head" }, h("h1", { text: "特殊作业实时监管" }), h("span", { class: "muted", text: "GB 30871—2022 危险化学品企业特殊作业" })), box);
  const result = await api("GET", "/api/v1/permits/live");
  if (!result.ok) return showProblem(box, result.problem);
  const live = result.data;
  fill(
    box,
    h("p", { class: "muted", text: `数据时间 ${fmtDateTime(live.as_of)}` }),
    h("h2", { text: "正在进行的特殊作业" }),
    h(
      "div",
      { class: "cards", dataset: { testid: "special-work-counts" } },
      live.by_kind.length
        ? countsFirst(live.by_kind).map((row) =>
            h("div", { class: "card", dataset: { testid: "special-work-count", kind: row.kind.code, grade: row.grade.code } }, h("div", { class: "muted", text: row.label }), h("strong", { text: String(row.count) })),
          )
        : h("p", { class: "muted", text: "当前没有进行中的特殊作业" }),
    ),
    permitTable(live.under_way, "under-way", "当前没有进行中的特殊作业"),
    h("h2", { text: "超过有效期的作业票" }),
    permitTable(live.past_window, "past-window", "没有超过有效期的作业票"),
    h("h2", { text: "未按时复检" }),
    permitTable(live.missed_reanalysis, "missed-reanalysis", "没有未按时复检的作业"),
  );
}
