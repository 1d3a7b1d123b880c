// 执法记录: interviews (约谈) and suspensions (停产整顿) in the jurisdiction; record one, lift a
// suspension. Either is a veto on the enterprise grade while in effect.
import { api } from "../api.js";
import { hasRole } from "../session.js";
import { badge, enumBadge, fill, fmtDate, h, showProblem, table, toast } from "../ui.js";

const WRITERS = ["regulator_admin", "regulator_inspector"];
const KINDS = [
  ["interview", "约谈"],
  ["suspension", "停产整顿"],
];
const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

function endForm(record, box, reload) {
  if (!hasRole(...WRITERS) || record.kind.code !== "suspension" || !record.is_in_effect) return "";
  const date = h("input", { type: "date", value: today(), dataset: { testid: "end-date" } });
  return h(
    "form",
    {
      dataset: { testid: "end-form" },
      on: {
        submit: async (event) => {
          event.preventDefault();
          const result = await api("POST", `/api/v1/enforcement-records/${record.id}/end`, { ends_on: date.value });
          if (!result.ok) return showProblem(box, result.problem);
          toast("已解除停产整顿。", { kind: "ok" });
          reload();
        },
      },
    },
    h("span", { class: "muted", text: "最后一天 " }),
    date,
    h("button", { class: "secondary", type: "submit", text: "解除", dataset: { testid: "end-submit" } }),
  );
}

function basisText(record) {
  return record.basis.map((b) => `${b.title}${b.verified ? "" : "（待核实）"}`).join("；");
}

export async function mount(container, { query }) {
  const problemBox = h("div");
  const listBox = h("div");
  const formBox = h("div");
  const kindFilter = h(
    "select",
    { name: "kind", dataset: { testid: "filter-kind" } },
    [["", "全部"], ...KINDS].map(([v, t]) => h("option", { value: v, selected: v === (query.kind || "") }, t)),
  );

  async function reload() {
    fill(problemBox);
    const result = await api("GET", `/api/v1/enforcement-records${kindFilter.value ? `?kind=${kindFilter.value}` : ""}`);
    if (!result.ok) return showProblem(problemBox, result.problem);
    fill(
      listBox,
      table(
        [
          { key: "enterprise_name", label: "企业" },
          { key: "kind", label: "类型", render: (row) => enumBadge(row.kind) },
          { key: "reference_no", label: "文书编号" },
          { key: "summary", label: "事由" },
          { key: "decided_on", label: "决定日期", render: (row) => fmtDate(row.decided_on) },
          { key: "ends_on", label: "结束日期", render: (row) => (row.ends_on ? fmtDate(row.ends_on) : "—") },
          { key: "is_in_effect", label: "评级否决", render: (row) => (row.is_in_effect ? badge("red", "生效中") : badge("none", "已失效")) },
          { key: "basis", label: "依据", render: basisText },
          { key: "actions", label: "操作", render: (row) => endForm(row, problemBox, reload) },
        ],
        result.data.items,
        { testid: "enforcement-table", rowAttrs: (row) => ({ dataset: { recordId: String(row.id), testid: "enforcement-row" } }), empty: "暂无执法记录" },
      ),
    );
  }

  async function buildForm() {
    if (!hasRole(...WRITERS)) return;
    const enterprises = await api("GET", "/api/v1/enterprises?limit=200");
    const items = enterprises.ok ? enterprises.data.items || enterprises.data : [];
    const enterprise = h("select", { required: true, dataset: { testid: "enf-enterprise" } }, h("option", { value: "" }, "请选择企业"), items.map((e) => h("option", { value: e.id }, e.name)));
    const kind = h("select", { dataset: { testid: "enf-kind" } }, KINDS.map(([v, t]) => h("option", { value: v }, t)));
    const reference = h("input", { required: true, maxlength: 64, dataset: { testid: "enf-reference" } });
    const decided = h("input", { type: "date", value: today(), required: true, dataset: { testid: "enf-decided" } });
    const summary = h("textarea", { rows: 2, cols: 60, required: true, dataset: { testid: "enf-summary" } });
    const error = h("div");
    fill(
      formBox,
      h(
        "form",
        {
          class: "card",
          dataset: { testid: "enforcement-form" },
          on: {
            submit: async (event) => {
              event.preventDefault();
              const result = await api("POST", "/api/v1/enforcement-records", {
                enterprise_id: Number(enterprise.value),
                kind: kind.value,
                reference_no: reference.value.trim(),
                summary: summary.value.trim(),
                decided_on: decided.value,
              });
              if (!result.ok) return showProblem(error, result.problem);
              toast("已记录。该企业风险等级将因否决项评为红色。", { kind: "ok" });
              reload();
            },
          },
        },
        h("h2", { text: "新增执法记录" }),
        h("div", { class: "filters" }, h("label", {}, "企业", enterprise), h("label", {}, "类型", kind), h("label", {}, "文书编号", reference), h("label", {}, "决定日期", decided)),
        h("label", {}, "事由", h("br"), summary),
        h("p", {}, h("button", { class: "primary", type: "submit", text: "保存", dataset: { testid: "enf-submit" } })),
        error,
      ),
    );
  }

  fill(
    container,
    h("div", { class: "screen-head" }, h("h1", { text: "执法记录" }), h("span", { class: "muted", text: "约谈自决定之日起一年内、停产整顿解除前，企业风险等级直接评为红色。" })),
    problemBox,
    h("form", { class: "filters", on: { change: reload } }, h("label", {}, "类型", kindFilter)),
    listBox,
    formBox,
  );
  await Promise.all([reload(), buildForm()]);
}
