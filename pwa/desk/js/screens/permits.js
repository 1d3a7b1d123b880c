// 特殊作业票 on the enterprise desk: today's permits by status (open ones first), each opening
// read-only, and the permit register (特殊作业台账) of a period as PDF or Excel.
import { api, download } from "../api.js";
import { href } from "../routes.js";
import { enterpriseId as myEnterprise } from "../session.js";
import { badge, fill, fmtDateTime, h, showProblem, table } from "../ui.js";

const ORDER = ["active", "suspended", "approved", "approval", "analysis", "draft", "closed", "cancelled", "expired"];

// Pure: permits sorted by the state order a shift cares about, then by start.
export function byStatus(items) {
  const rank = (p) => ORDER.indexOf(p.state.code);
  return [...items].sort((a, b) => rank(a) - rank(b) || new Date(a.valid_from) - new Date(b.valid_from));
}

export async function mount(container) {
  const box = h("div");
  const enterpriseId = myEnterprise();
  const month = new Date().toISOString().slice(0, 7);
  const from = h("input", { type: "date", value: `${month}-01`, dataset: { testid: "register-from" } });
  const to = h("input", { type: "date", value: new Date().toISOString().slice(0, 10), dataset: { testid: "register-to" } });
  const get = (ext) => download(`/api/v1/enterprises/${enterpriseId}/permit-register.${ext}?from=${from.value}&to=${to.value}`, `特殊作业台账-${from.value}-${to.value}.${ext}`);
  fill(
    container,
    h("div", { class: "screen-head" }, h("h1", { text: "特殊作业票" }), h("span", { class: "muted", text: "今天的作业票（在手机“作业票”中办理）" })),
    h("div", { class: "filters" }, h("label", {}, "台账自 ", from), h("label", {}, " 至 ", to), h("button", { text: "台账 PDF", on: { click: () => get("pdf") } }), h("button", { text: "台账 Excel", on: { click: () => get("xlsx") } })),
    box,
  );
  const result = await api("GET", `/api/v1/permits?enterprise_id=${enterpriseId}`);
  if (!result.ok) return showProblem(box, result.problem);
  fill(
    box,
    table(
      [
        { key: "number", label: "作业票", render: (p) => h("a", { href: href("permit", p.id), dataset: { testid: "permit-link" } }, p.number) },
        { key: "label", label: "类别及级别" },
        { key: "place", label: "地点", render: (p) => p.place.name },
        { key: "state", label: "状态", render: (p) => [badge(p.state.code, p.state.label), p.is_reanalysis_missed ? [" ", badge("red", "未按时复检")] : null] },
        { key: "valid_from", label: "有效期", render: (p) => `${fmtDateTime(p.valid_from)} 至 ${fmtDateTime(p.valid_to)}` },
        { key: "guardian", label: "监护人" },
      ],
      byStatus(result.data.items),
      { testid: "permits-table", empty: "今天没有作业票", rowAttrs: (p) => ({ dataset: { testid: "permit-row", state: p.state.code } }) },
    ),
  );
}
