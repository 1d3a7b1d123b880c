// 第三方审核: an auditor's engagements and runs with a form to open a run; a regulator sees the
// runs of the engagements it commissioned.
import { api } from "../api.js";
import { href, navigate } from "../routes.js";
import { isAuditor } from "../session.js";
import { enumBadge, fill, fmtDate, fmtDateTime, h, showProblem, table, toast } from "../ui.js";

const COLUMNS = [
  { key: "title", label: "审核", render: (r) => h("a", { href: href("audit", r.id), text: r.title, dataset: { testid: "audit-run-link" } }) },
  { key: "enterprise_name", label: "受审核企业" },
  { key: "agency_name", label: "受托机构" },
  { key: "engagement_title", label: "委托" },
  { key: "state", label: "状态", render: (r) => enumBadge(r.state) },
  { key: "opened_at", label: "开始", render: (r) => fmtDateTime(r.opened_at) },
  { key: "signed_at", label: "签署", render: (r) => (r.signed_at ? fmtDateTime(r.signed_at) : "—") },
];

function openForm(engagements, enterprises, status) {
  const today = new Date().toISOString().slice(0, 10);
  const valid = engagements.filter((e) => e.valid_from <= today && today <= e.valid_to);
  const engagement = h("select", { name: "engagement_id", dataset: { testid: "run-engagement" } },
    valid.map((e) => h("option", { value: String(e.id), text: `${e.title}（${fmtDate(e.valid_from)}—${fmtDate(e.valid_to)}）` })));
  const enterprise = h("select", { name: "enterprise_id", dataset: { testid: "run-enterprise" } });
  const fillEnterprises = () => {
    const chosen = valid.find((e) => String(e.id) === engagement.value);
    fill(enterprise, ...(chosen ? chosen.enterprise_ids : []).map((id) => h("option", { value: String(id), text: enterprises[id] || `企业 ${id}` })));
  };
  engagement.addEventListener("change", fillEnterprises);
  fillEnterprises();
  const title = h("input", { name: "title", required: true, maxlength: 200, dataset: { testid: "run-title" } });
  const scope = h("textarea", { name: "scope", rows: 2, dataset: { testid: "run-scope" } });
  const method = h("textarea", { name: "method", rows: 2, dataset: { testid: "run-method" } });
  const form = h("form", { class: "card", dataset: { testid: "run-form" } },
    h("h2", { text: "开展新审核", style: { marginTop: 0 } }),
    h("label", {}, "委托 ", engagement), " ",
    h("label", {}, "企业 ", enterprise),
    h("div", {}, h("label", {}, "审核名称 ", title)),
    h("div", {}, h("label", {}, "审核范围 ", scope)),
    h("div", {}, h("label", {}, "审核方法 ", method)),
    h("button", { type: "submit", text: "开始审核", dataset: { testid: "run-submit" } }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = await api("POST", "/api/v1/audit-runs", {
      engagement_id: Number(engagement.value),
      enterprise_id: Number(enterprise.value),
      title: title.value,
      scope: scope.value,
      method: method.value,
    });
    if (!result.ok) return showProblem(status, result.problem);
    toast("审核已开始。");
    navigate("audit", result.data.id);
  });
  return valid.length ? form : h("p", { class: "muted", text: "当前没有有效期内的委托。" });
}

export async function mount(container) {
  const status = h("div");
  fill(container, h("h1", { text: "第三方审核" }), status, h("p", { class: "muted", text: "加载中…" }));
  const runs = await api("GET", "/api/v1/audit-runs?limit=200");
  if (!runs.ok) return showProblem(status, runs.problem);
  const parts = [h("h1", { text: "第三方审核" }), status];
  if (isAuditor()) {
    const [engagements, enterprises] = await Promise.all([api("GET", "/api/v1/engagements"), api("GET", "/api/v1/enterprises?limit=200")]);
    const names = {};
    for (const e of (enterprises.ok ? enterprises.data.items || enterprises.data : []) || []) names[e.id] = e.name;
    if (engagements.ok) parts.push(openForm(engagements.data, names, status));
  }
  parts.push(h("h2", { text: "审核记录" }));
  parts.push(runs.data.items.length
    ? table(COLUMNS, runs.data.items, { testid: "audit-runs" })
    : h("p", { class: "muted", dataset: { testid: "audit-runs-empty" }, text: "暂无审核记录。" }));
  fill(container, ...parts);
}
