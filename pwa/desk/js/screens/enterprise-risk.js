// Drill-down tab: the grade explanation, the four-colour risk map of each site plan and the risk
// register (object → unit → event → measure). Each section loads and fails on its own.
import { api } from "../api.js";
import { badge, fill, fmtDate, h, showProblem, table } from "../ui.js";

function section(title, testid) {
  const body = h("div", { dataset: { testid } }, h("p", { class: "muted", text: "正在加载…" }));
  return { node: h("div", {}, h("h2", { text: title }), body), body };
}

// 成效评估 (operation effectiveness, E = (A + B) × α): each part's own line, as computed.
function effectivenessExplanation(effect) {
  if (!effect) return null;
  const inputs = effect.inputs || {};
  const lines = [
    ["A 排查任务完成", effect.a?.explanation, `计划任务 ${inputs.planned_tasks ?? "—"}，已完成 ${inputs.completed_tasks ?? "—"}`],
    ["B 隐患整改验收", effect.b?.explanation, `应整改隐患 ${inputs.hazards_to_rectify ?? "—"}，已验收 ${inputs.hazards_accepted ?? "—"}`],
    ["α 否决项", effect.alpha === 0 ? "存在否决项，α = 0。" : "无否决项，α = 1。", ""],
  ];
  return h(
    "div",
    { class: "card", dataset: { testid: "effectiveness" } },
    h("h3", { text: `成效评估：E = ${effect.score ?? "—"}` }),
    h(
      "ol",
      { class: "explain-lines" },
      lines.map(([label, line, facts]) => h("li", { dataset: { testid: "effectiveness-line" } }, h("strong", { text: `${label}：` }), line || "—", facts ? h("span", { class: "muted", text: `（${facts}）` }) : null)),
    ),
    h("p", { dataset: { testid: "effectiveness-explanation" }, text: effect.explanation || "" }),
    h("p", { class: "muted", text: effect.formula || "" }),
    effect.not_modelled ? h("p", { class: "muted", text: [].concat(effect.not_modelled).join("；") }) : null,
    effect.source ? h("p", { class: "muted", text: `依据：${effect.source}` }) : null,
  );
}

// The grade explained line by line; the regulator's drill-down and the enterprise's own 等级评估
// screen render the same thing.
export function gradeExplanation(grade) {
  const colour = grade.colour || {};
  const components = table(
    [
      { key: "label", label: "评分项" },
      { key: "weight", label: "满分", render: (c) => c.weight },
      { key: "points", label: "得分", render: (c) => c.points },
      { key: "explanation", label: "说明" },
    ],
    grade.components || [],
    { testid: "grade-components", empty: "无评分项" },
  );
  return h(
    "div",
    { class: "card" },
    h(
      "p",
      {},
      badge(colour.code, colour.label ? `${colour.label}色` : "未评级"),
      " ",
      h("strong", { text: colour.reason || `得分 ${grade.score ?? "—"}`, dataset: { testid: "grade-explanation" } }),
    ),
    (grade.vetoes || []).length
      ? h(
          "div",
          { class: "problem", dataset: { testid: "grade-vetoes" } },
          h("strong", { text: "否决项" }),
          h("ul", {}, grade.vetoes.map((v) => h("li", { text: v.explanation }))),
        )
      : null,
    components,
    h("p", { class: "muted", text: grade.formula || "" }),
    grade.basis ? h("p", { class: "muted", text: `依据：${grade.basis}` }) : null,
    h("p", { class: "muted", text: `评定日期：${fmtDate(grade.day)}（按当日数据实时计算）` }),
    grade.inputs?.operation_period
      ? h("p", { class: "muted", dataset: { testid: "grade-operation-period" }, text: `在线运行率统计期：${fmtDate(grade.inputs.operation_period[0])} 至 ${fmtDate(grade.inputs.operation_period[1])}（与企业概况所示为同一数字）` })
      : null,
    effectivenessExplanation(grade.operation_effectiveness),
  );
}

function levelBadge(level) {
  return level ? badge(level.code, level.label) : h("span", { class: "muted", text: "未评估" });
}

function register(data) {
  const rows = [];
  for (const object of data.objects || []) {
    for (const unit of object.units.length ? object.units : [null]) {
      const events = unit && unit.events.length ? unit.events : [null];
      for (const event of events) {
        rows.push({
          object: `${object.name}${object.is_major_hazard_source ? "（重大危险源）" : ""}`,
          unit: unit ? unit.name : "—",
          level: unit ? unit.effective_level : null,
          raised: unit ? unit.level_note : "",
          event: event ? event.name : "—",
          measures: event ? event.measures.map((m) => m.description).join("；") || "—" : "—",
        });
      }
    }
  }
  const counts = data.counts || {};
  return h(
    "div",
    {},
    h("p", {
      class: "muted",
      text: `风险分析对象 ${counts.objects ?? 0} 个、风险分析单元 ${counts.units ?? 0} 个、风险事件 ${counts.events ?? 0} 个、管控措施 ${counts.measures ?? 0} 条。`,
    }),
    table(
      [
        { key: "object", label: "风险分析对象" },
        { key: "unit", label: "风险分析单元" },
        { key: "level", label: "风险等级", render: (r) => h("span", {}, levelBadge(r.level), r.raised ? h("div", { class: "muted", text: r.raised }) : null) },
        { key: "event", label: "风险事件" },
        { key: "measures", label: "管控措施" },
      ],
      rows,
      { testid: "risk-register", empty: "该企业尚未建立风险分级管控清单。" },
    ),
  );
}

async function loadMaps(body, enterprise, loader, isAlive) {
  const result = await api("GET", `/api/v1/enterprises/${enterprise.id}/site-plans?limit=10`);
  if (!isAlive()) return;
  if (!result.ok) return showProblem(body, result.problem);
  const plans = result.data.items || [];
  if (!plans.length) {
    return fill(body, h("p", { class: "muted empty", text: "该企业尚未上传平面图，无法生成四色分布图。", dataset: { testid: "risk-map-empty" } }));
  }
  fill(
    body,
    plans.map((plan) =>
      h(
        "figure",
        { class: "card", style: { margin: "0 0 0.75rem" } },
        loader.image(plan.map_png_url, {
          alt: `${plan.title}四色分布图`,
          style: { maxWidth: "100%", display: "block" },
          dataset: { testid: "risk-map", planId: plan.id },
        }),
        h("figcaption", { class: "muted", text: plan.title }),
      ),
    ),
  );
}

async function loadRegister(body, enterprise, isAlive) {
  const result = await api("GET", `/api/v1/enterprises/${enterprise.id}/risk-register`);
  if (!isAlive()) return;
  if (!result.ok) return showProblem(body, result.problem);
  fill(body, register(result.data));
}

export async function mount(container, { enterprise, loader }) {
  let alive = true;
  const isAlive = () => alive;
  const grade = section("企业风险等级说明", "grade-section");
  const maps = section("四色分布图", "risk-map-section");
  const reg = section("风险分级管控清单", "risk-register-section");
  fill(container, grade.node, maps.node, reg.node);
  if (enterprise.grade) fill(grade.body, gradeExplanation(enterprise.grade));
  else fill(grade.body, h("p", { class: "muted", text: "暂无风险等级。" }));
  await Promise.all([loadMaps(maps.body, enterprise, loader, isAlive), loadRegister(reg.body, enterprise, isAlive)]);
  return () => {
    alive = false;
  };
}
