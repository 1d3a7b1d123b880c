// One random draw: seed, algorithm and pools with a reproduce check, the drawn enterprises with
// their inspectors, results and unannounced on-site inspections (四不两直), and publication.
import { api } from "../api.js";
import { href, navigate } from "../routes.js";
import { badge, enumBadge, fill, fmtDate, fmtDateTime, h, showProblem, table, toast } from "../ui.js";

const RESULTS = [
  ["no_issues", "未发现问题"],
  ["issues_found", "发现问题"],
  ["not_operating", "未在生产经营"],
];

function cliCommand(draw) {
  return (
    `flask anxun spot-checks reproduce --seed '${draw.seed}' --objects ${draw.object_pool.join(",")}` +
    ` --inspectors ${draw.inspector_pool.join(",")} --count ${draw.enterprise_count} --per ${draw.inspectors_per_enterprise}`
  );
}

function verificationView(result) {
  if (!result.ok) return h("span", { class: "muted", text: "核对失败，请重试。" });
  const v = result.data;
  return v.reproduced
    ? h("span", {}, badge("green", "已复现"), " 按存档的种子和名录重新抽取，结果与记录一致。")
    : h("div", {}, badge("alert", "不一致"), h("ul", {}, v.differences.map((d) => h("li", { text: d }))));
}

function resultForm(assignment, reload) {
  const problemBox = h("div");
  const select = h(
    "select",
    { name: "result", dataset: { testid: `result-select-${assignment.id}` } },
    RESULTS.map(([code, label]) => h("option", { value: code, text: label, selected: code === assignment.state.code })),
  );
  const summary = h("input", {
    name: "summary",
    size: 28,
    maxlength: 2000,
    value: assignment.result_summary || "",
    placeholder: "结果说明（将随结果公开，勿填个人信息）",
    dataset: { testid: `result-summary-${assignment.id}` },
  });
  const form = h(
    "form",
    { class: "inline-form", dataset: { testid: `result-form-${assignment.id}` } },
    select,
    summary,
    h("button", { class: "secondary", type: "submit", text: assignment.state.code === "pending" ? "录入结果" : "修改结果", dataset: { testid: `result-submit-${assignment.id}` } }),
    problemBox,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = await api("POST", `/api/v1/spot-checks/assignments/${assignment.id}/result`, {
      result: select.value,
      summary: summary.value.trim(),
      expected_state: assignment.state.code,
    });
    if (!result.ok) return showProblem(problemBox, result.problem);
    toast("检查结果已保存。");
    reload();
  });
  return form;
}

async function startUnannounced(assignment, problemBox) {
  const result = await api("POST", "/api/v1/patrols", {
    enterprise_id: assignment.enterprise.id,
    mode: "on_site",
    is_unannounced: true,
    spot_check_assignment_id: assignment.id,
  });
  if (!result.ok) return showProblem(problemBox, result.problem);
  toast("已开始现场检查（四不两直）。");
  navigate("patrol", result.data.id);
}

function patrolLinks(assignment) {
  if (!assignment.patrols.length) return h("span", { class: "muted", text: "—" });
  return assignment.patrols.map((p) =>
    h(
      "div",
      {},
      h("a", { href: href("patrol", p.id), text: `巡查 #${p.id}`, dataset: { testid: "patrol-link" } }),
      " ",
      p.is_unannounced ? badge("alert", "四不两直") : null,
      " ",
      h("span", { class: "muted", text: fmtDateTime(p.opened_at) }),
    ),
  );
}

export async function mount(container, { arg }) {
  const id = Number(arg);

  async function load() {
    const result = await api("GET", `/api/v1/spot-checks/draws/${id}`);
    if (!result.ok) return showProblem(container, result.problem);
    render(result.data);
  }

  function render(draw) {
    const verifyBox = h("div", { dataset: { testid: "verify-result" } }, h("span", { class: "muted", text: "正在核对…" }));
    const problemBox = h("div");
    const verify = async () => {
      fill(verifyBox, h("span", { class: "muted", text: "正在核对…" }));
      fill(verifyBox, verificationView(await api("GET", `/api/v1/spot-checks/draws/${id}/verification`)));
    };
    const publish = async () => {
      const result = await api("POST", `/api/v1/spot-checks/draws/${id}/publication`);
      if (!result.ok) return showProblem(problemBox, result.problem);
      toast("已公开。");
      load();
    };
    const basis = draw.basis[0];
    const columns = [
      { key: "position", label: "序号" },
      { key: "enterprise", label: "企业", render: (a) => h("a", { href: href("enterprise", a.enterprise.id), text: a.enterprise.name }) },
      { key: "inspectors", label: "检查人员", render: (a) => a.inspectors.map((u) => u.display_name).join("、") },
      { key: "state", label: "结果", render: (a) => enumBadge(a.state) },
      { key: "result_summary", label: "结果说明", render: (a) => a.result_summary || "—" },
      { key: "recorded", label: "录入", render: (a) => (a.recorded_at ? `${a.recorded_by?.display_name || ""} ${fmtDateTime(a.recorded_at)}` : "—") },
      { key: "patrols", label: "现场检查", render: patrolLinks },
      {
        key: "actions",
        label: "操作",
        render: (a) =>
          a.can_record_result
            ? h(
                "div",
                {},
                h("button", {
                  class: "secondary",
                  type: "button",
                  text: "开始现场检查（四不两直）",
                  dataset: { testid: `start-unannounced-${a.id}` },
                  on: { click: () => startUnannounced(a, problemBox) },
                }),
                resultForm(a, load),
              )
            : h("span", { class: "muted", text: "—" }),
      },
    ];
    fill(
      container,
      h("p", {}, h("a", { href: href("spot-checks"), text: "← 双随机抽查" })),
      h("h1", { text: draw.title, dataset: { testid: "draw-title" } }),
      h(
        "p",
        { class: "muted" },
        `${draw.regulator.name}　${draw.drawn_by?.display_name || ""} 于 ${fmtDateTime(draw.drawn_at)} 抽取　`,
        draw.published_at
          ? h("span", {}, badge("green", `已公开 ${fmtDate(draw.published_at)}`), " ", h("a", { href: "/public/spot-checks", target: "_blank", text: "查看公示页" }))
          : badge("none", "未公开"),
      ),
      problemBox,
      draw.can_publish
        ? h("p", {}, h("button", { class: "primary", type: "button", text: "公开抽查结果（一公开）", dataset: { testid: "publish" }, on: { click: publish } }))
        : null,
      h(
        "div",
        { class: "card", dataset: { testid: "seed-card" } },
        h("p", {}, "随机种子：", h("code", { text: draw.seed, dataset: { testid: "draw-seed" } }), "　算法：", h("code", { text: draw.algorithm })),
        h("p", { class: "muted", text: `检查对象名录 ${draw.object_pool.length} 家（编号 ${draw.object_pool.join("、")}）；执法检查人员名录 ${draw.inspector_pool.length} 人（编号 ${draw.inspector_pool.join("、")}）；抽取 ${draw.enterprise_count} 家，每家 ${draw.inspectors_per_enterprise} 人。` }),
        h("p", { class: "muted" }, "命令行复现：", h("code", { text: cliCommand(draw) })),
        basis
          ? h("p", { class: "muted", text: `每家企业检查人员不少于两人：${basis.document_no}《${basis.title}》${basis.verified ? "" : "（依据原文待核实）"}` })
          : null,
        h("p", {}, h("button", { class: "secondary", type: "button", text: "复现核对", dataset: { testid: "verify" }, on: { click: verify } }), " ", verifyBox),
      ),
      h("h2", { text: "抽取结果" }),
      table(columns, draw.assignments, { testid: "assignments", rowAttrs: (a) => ({ dataset: { testid: `assignment-${a.position}` } }) }),
    );
    verify();
  }

  await load();
}
