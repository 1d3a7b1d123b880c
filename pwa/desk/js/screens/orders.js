// 整改指令: orders of the bureau with number, enterprise, deadline, state, 签收 time; escalated
// orders are highlighted.
import { api } from "../api.js";
import { href } from "../routes.js";
import { officersBlock } from "./officers-block.js";
import { badge, enumBadge, fill, fmtDate, fmtDateTime, h, showProblem, table } from "../ui.js";

const COLUMNS = [
  { key: "number", label: "文书编号", render: (r) => h("a", { href: href("order", r.id), text: r.number, dataset: { testid: "order-link" } }) },
  { key: "enterprise_name", label: "企业" },
  { key: "deadline", label: "整改期限", render: (r) => fmtDate(r.deadline) },
  { key: "state", label: "状态", render: (r) => [enumBadge(r.state), r.is_escalated && r.state.code === "issued" ? [" ", badge("alert", "逾期未签收")] : null] },
  { key: "acknowledged_at", label: "签收时间", render: (r) => h("span", { text: r.acknowledged_at ? fmtDateTime(r.acknowledged_at) : "—", dataset: { testid: "order-ack-time" } }) },
  { key: "issued_at", label: "下达时间", render: (r) => fmtDateTime(r.issued_at) },
  { key: "follow_up", label: "回头看", render: (r) => (r.follow_up?.result ? enumBadge(r.follow_up.result) : r.follow_up ? `计划 ${fmtDate(r.follow_up.scheduled_on)}` : "—") },
];

export async function mount(container, params) {
  const query = params.query || {};
  const list = h("div");
  const state = h(
    "select",
    { dataset: { testid: "orders-state" } },
    [["", "全部状态"], ["issued", "待签收"], ["acknowledged", "已签收"], ["followed_up", "已复查"]].map(([v, t]) =>
      h("option", { value: v, text: t, selected: (query.state || "") === v }),
    ),
  );
  const escalated = h("input", { type: "checkbox", checked: query.escalated === "true", dataset: { testid: "orders-escalated" } });
  fill(
    container,
    h("div", { class: "screen-head" }, h("h1", { text: "责令限期整改指令书" })),
    h("div", { class: "filters" }, h("label", {}, "状态", state), h("label", {}, "仅看逾期未签收", escalated)),
    list,
  );
  async function load() {
    const search = new URLSearchParams();
    if (state.value) search.set("state", state.value);
    if (escalated.checked) search.set("escalated", "true");
    search.set("limit", "200");
    const result = await api("GET", `/api/v1/orders?${search}`);
    if (!result.ok) return showProblem(list, result.problem);
    fill(
      list,
      table(COLUMNS, result.data.items, {
        testid: "orders-table",
        empty: "暂无指令书",
        rowAttrs: (r) => ({
          dataset: { orderId: String(r.id) },
          style: r.is_escalated && r.state.code === "issued" ? { background: "#fdf0ef" } : undefined,
        }),
      }),
    );
  }
  state.addEventListener("change", load);
  escalated.addEventListener("change", load);
  await load();
  const officers = await officersBlock();
  if (officers) container.append(officers);
}
