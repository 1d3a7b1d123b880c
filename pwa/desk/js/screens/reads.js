// 查阅记录: every read of enterprise data by a third-party auditor, filterable by enterprise and
// engagement (the enterprise, the commissioning party and the agency itself see these rows).
import { api } from "../api.js";
import { replaceQuery } from "../routes.js";
import { fill, fmtDateTime, h, showProblem, table } from "../ui.js";

const COLUMNS = [
  { key: "created_at", label: "时间", render: (r) => fmtDateTime(r.created_at) },
  { key: "user_name", label: "审核员" },
  { key: "agency_name", label: "机构" },
  { key: "enterprise_name", label: "企业" },
  // What was read in words; the request itself stays in small print for the record.
  { key: "subject", label: "查阅内容", render: (r) => h("span", { dataset: { testid: "read-subject" } }, r.subject, " ", h("small", { class: "muted", text: `${r.method} ${r.path}` })) },
];

export async function mount(container, { query }) {
  const status = h("div");
  const holder = h("div");
  const more = h("div");
  const enterprise = h("input", { name: "enterprise_id", type: "number", value: query.enterprise_id || "", placeholder: "企业编号", dataset: { testid: "reads-enterprise" } });
  const engagement = h("input", { name: "engagement_id", type: "number", value: query.engagement_id || "", placeholder: "委托编号", dataset: { testid: "reads-engagement" } });
  const form = h("form", { class: "filters" }, h("label", {}, "企业 ", enterprise), " ", h("label", {}, "委托 ", engagement), " ", h("button", { type: "submit", text: "筛选" }));
  fill(container, h("h1", { text: "第三方查阅记录" }), form, status, holder, more);
  const rows = [];
  async function load(cursor) {
    const params = new URLSearchParams({ limit: "100" });
    if (enterprise.value) params.set("enterprise_id", enterprise.value);
    if (engagement.value) params.set("engagement_id", engagement.value);
    if (cursor) params.set("cursor", cursor);
    const result = await api("GET", `/api/v1/auditor-reads?${params}`);
    fill(status);
    if (!result.ok) return showProblem(status, result.problem);
    rows.push(...result.data.items);
    fill(holder, rows.length ? table(COLUMNS, rows, { testid: "reads-table" }) : h("p", { class: "muted", dataset: { testid: "reads-empty" }, text: "暂无查阅记录。" }));
    const next = result.data.next_cursor;
    fill(more, next ? h("button", { type: "button", text: "加载更多", on: { click: () => load(next) } }) : null);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    rows.length = 0;
    replaceQuery({ screen: "reads" }, { enterprise_id: enterprise.value, engagement_id: engagement.value });
    load();
  });
  await load();
}
