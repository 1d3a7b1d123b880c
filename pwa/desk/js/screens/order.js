// One order: items with basis, 签收, the PDF download and the follow-up (回头看) result form.
import { api, download } from "../api.js";
import { href } from "../routes.js";
import { hasRole } from "../session.js";
import { badge, enumBadge, fill, fmtDate, fmtDateTime, h, showProblem, table, toast } from "../ui.js";

const basisText = (basis) => (basis || []).map((b) => `${b.document}${b.clause || ""}`).join("；") || "—";

function followUpForm(order, reload) {
  const check = order.follow_up;
  if (!check) return null;
  if (check.state.code === "done") {
    return h(
      "div",
      { class: "card", dataset: { testid: "follow-up-done" } },
      h("h3", { text: "回头看" }),
      h("p", {}, enumBadge(check.result), ` ${fmtDateTime(check.performed_at)} ${check.note || ""}`),
    );
  }
  if (!hasRole("regulator_admin", "regulator_inspector")) return null;
  const problem = h("div");
  const result = h(
    "select",
    { dataset: { testid: "follow-up-result" } },
    [["rectified", "已整改"], ["partially_rectified", "部分整改"], ["not_rectified", "未整改"]].map(([v, t]) => h("option", { value: v, text: t })),
  );
  const note = h("textarea", { rows: 2, cols: 60, placeholder: "复查情况", dataset: { testid: "follow-up-note" } });
  const form = h(
    "form",
    { class: "card", dataset: { testid: "follow-up-form" } },
    h("h3", { text: `回头看（计划 ${fmtDate(check.scheduled_on)}）` }),
    h("div", { class: "filters" }, h("label", {}, "复查结果", result)),
    note,
    h("button", { type: "submit", class: "primary", text: "记录复查结果", dataset: { testid: "follow-up-save" } }),
    problem,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await api("POST", `/api/v1/follow-ups/${check.id}/result`, { result: result.value, note: note.value.trim() });
    if (!response.ok) return showProblem(problem, response.problem);
    toast("已记录复查结果。");
    reload();
  });
  return form;
}

export async function mount(container, params) {
  async function load() {
    const result = await api("GET", `/api/v1/orders/${encodeURIComponent(params.arg)}`);
    if (!result.ok) return showProblem(container, result.problem);
    const order = result.data;
    const pdfProblem = h("div");
    fill(
      container,
      h(
        "div",
        { class: "screen-head" },
        h("h1", { text: order.number, dataset: { testid: "order-number" } }),
        enumBadge(order.state),
        order.is_escalated && order.state.code === "issued" ? badge("alert", "逾期未签收，已升级督办") : null,
      ),
      h(
        "dl",
        { class: "facts card" },
        h("dt", { text: "企业" }),
        h("dd", { text: order.enterprise_name }),
        h("dt", { text: "下达" }),
        h("dd", { text: `${order.regulator_name} · ${order.issued_by_name || ""} · ${fmtDateTime(order.issued_at)}` }),
        h("dt", { text: "整改期限" }),
        h("dd", { text: fmtDate(order.deadline) }),
        h("dt", { text: "法律依据" }),
        h("dd", { text: basisText(order.basis) }),
        h("dt", { text: "具体要求" }),
        h("dd", { text: order.requirements || "—" }),
        h("dt", { text: "签收" }),
        h("dd", { dataset: { testid: "order-ack" } }, order.acknowledged_at ? `${order.acknowledged_by_name || ""} ${fmtDateTime(order.acknowledged_at)}${order.acknowledgment_note ? `（${order.acknowledgment_note}）` : ""}` : "未签收"),
        order.patrol_id ? h("dt", { text: "巡查" }) : null,
        order.patrol_id ? h("dd", {}, h("a", { href: href("patrol", order.patrol_id), text: `#${order.patrol_id}` })) : null,
      ),
      table(
        [
          { key: "position", label: "序号" },
          { key: "text", label: "整改事项" },
          { key: "basis", label: "依据", render: (i) => basisText(i.basis) },
        ],
        order.items,
        { testid: "order-items" },
      ),
      h("p", {}, h("button", {
        type: "button",
        text: "下载指令书 PDF",
        dataset: { testid: "order-pdf" },
        on: {
          click: async () => {
            const response = await download(`/api/v1/orders/${order.id}/pdf`, `${order.number}.pdf`);
            if (!response.ok) showProblem(pdfProblem, response.problem);
          },
        },
      })),
      pdfProblem,
      followUpForm(order, load),
    );
  }
  await load();
}
