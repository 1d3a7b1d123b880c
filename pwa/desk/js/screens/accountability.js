// 包保责任 (enterprise desk): each major hazard source with its 主要 / 技术 / 操作负责人, the
// checks each duty requires (how often, by which document and clause) generated as plans, and
// how many of them were done over the chosen period.
import { api } from "../api.js";
import { href } from "../routes.js";
import { enterpriseId, hasRole } from "../session.js";
import { badge, fill, h, showProblem, toast } from "../ui.js";
import { percent } from "../labels.js";

const DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });

function completionText(c) {
  if (!c) return "—";
  return `按时 ${c.done} / 应 ${c.due}（逾期 ${c.late}，未完成 ${c.missed}，进行中 ${c.open}）`;
}

export async function mount(container) {
  const enterprise = enterpriseId();
  const canEdit = hasRole("head", "safety_officer");
  let alive = true;
  let staff = [];
  const problem = h("div");
  const board = h("div", { dataset: { testid: "accountability" } }, h("p", { class: "muted", text: "正在加载…" }));
  const from = h("input", { type: "date", "aria-label": "开始日期", value: DAY.format(new Date(Date.now() - 89 * 864e5)) });
  const to = h("input", { type: "date", "aria-label": "结束日期", value: DAY.format(new Date()) });

  function personSelect(duty) {
    return h(
      "select",
      { name: `${duty.duty.code}_user_id`, "aria-label": duty.duty.label, disabled: !canEdit, dataset: { testid: `person-${duty.duty.code}` } },
      h("option", { value: "", text: "（未明确）" }),
      staff.map((u) => h("option", { value: u.id, text: u.display_name, selected: duty.user?.id === u.id })),
    );
  }

  function objectCard(obj) {
    const selects = obj.duties.map(personSelect);
    const rows = obj.duties.map((d, i) =>
      h(
        "tr",
        { dataset: { testid: "duty", duty: d.duty.code } },
        h("th", { text: d.duty.label }),
        h("td", {}, selects[i]),
        h("td", { text: d.frequency }),
        h("td", { class: "muted", text: `${d.basis.number}《${d.basis.title}》${d.basis.clause}${d.basis.verify === "pending" ? "（频次待核实）" : ""}` }),
        h("td", {}, d.plan ? h("a", { href: href("plans"), text: d.plan.is_active ? d.plan.title : `${d.plan.title}（已停止）` }) : "—"),
        h("td", { dataset: { testid: "duty-completion" } }, d.completion ? [badge(d.completion.rate === null ? "none" : d.completion.missed ? "red" : "blue", percent(d.completion.rate)), " ", completionText(d.completion)] : "—"),
      ),
    );
    const save = h("button", { type: "submit", text: "保存包保责任人并生成排查计划", dataset: { testid: "accountability-save" } });
    const form = h(
      "form",
      { class: "card", dataset: { testid: "source", id: obj.id } },
      h("h2", {}, obj.name, obj.hazard_code ? h("span", { class: "muted", text: ` ${obj.hazard_code}` }) : null),
      h(
        "table",
        { class: "grid" },
        h("thead", {}, h("tr", {}, ["包保责任", "责任人", "排查频次", "依据", "排查计划", "完成情况"].map((t) => h("th", { text: t })))),
        h("tbody", {}, rows),
      ),
      canEdit ? save : null,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = Object.fromEntries(selects.filter((s) => s.value).map((s) => [s.name, Number(s.value)]));
      const result = await api("PUT", `/api/v1/risk-objects/${obj.id}/accountable-persons`, body);
      if (!result.ok) return showProblem(problem, result.problem);
      fill(problem);
      toast("已保存包保责任人，排查计划已更新");
      await reload();
    });
    return form;
  }

  async function reload(event) {
    event?.preventDefault();
    const result = await api("GET", `/api/v1/enterprises/${enterprise}/accountability?from=${from.value}&to=${to.value}`);
    if (!alive) return;
    if (!result.ok) return showProblem(board, result.problem);
    const objects = result.data.objects || [];
    fill(
      board,
      objects.length
        ? objects.map(objectCard)
        : h("p", { class: "muted empty" }, "没有重大危险源：在", h("a", { href: href("risk"), text: "风险分级管控" }), "中把风险分析对象标为重大危险源后，在此明确包保责任人。"),
    );
  }

  const period = h("form", { class: "inline-form" }, "完成情况统计期 ", from, " 至 ", to, h("button", { type: "submit", text: "刷新" }));
  period.addEventListener("submit", reload);
  fill(
    container,
    h("h1", { text: "重大危险源包保责任" }),
    h("p", { class: "muted", text: "每处重大危险源明确主要负责人、技术负责人、操作负责人；保存后按各自职责的排查频次生成包保责任人排查计划。" }),
    period,
    problem,
    board,
  );
  const users = await api("GET", `/api/v1/enterprises/${enterprise}/users`);
  if (!alive) return () => {};
  staff = users.ok ? users.data.filter((u) => u.is_active) : [];
  await reload();
  return () => {
    alive = false;
  };
}
