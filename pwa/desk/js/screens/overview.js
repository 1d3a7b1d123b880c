// 辖区总览: KPI cards, a filterable/sortable enterprise table and 30-day trend charts.
import { api } from "../api.js";
import { distributionOption, loadEcharts, mountChart, trendOption } from "../charts.js";
import { GRADES, INDUSTRIES, gradeColor, percent } from "../labels.js";
import { href, replaceQuery } from "../routes.js";
import { badge, fill, fmtDate, fmtDateTime, h, showProblem, table } from "../ui.js";

const FILTER_KEYS = ["industry", "region_code", "grade", "stale_days", "sort", "order"];

const KPIS = [
  ["enterprises", "辖区企业"],
  ["open_hazards", "未闭环隐患"],
  ["overdue_hazards", "超期未整改", true],
  ["open_major_hazards", "重大事故隐患"],
  ["listed_major_hazards", "挂牌督办"],
  ["unacknowledged_orders", "整改指令未签收"],
  ["escalated_orders", "逾期未签收（已升级）", true],
];

function count(key) {
  return (row) => h("span", { class: row[key] > 0 && key !== "open_hazards" ? "strong" : "" }, String(row[key]));
}

// Same wording as the grade's facts panel: no due task in the window is "no data", not a dash.
function operationRate(rate) {
  if (rate !== null && rate !== undefined) return percent(rate);
  return h("span", {
    class: "muted",
    title: "今日之前 30 天内没有到期的排查任务，无法计算在线运行率",
    dataset: { testid: "operation-rate-none" },
    text: "无数据",
  });
}

const COLUMNS = [
  {
    key: "name",
    label: "企业名称",
    render: (row) => h("a", { href: href("enterprise", row.id), dataset: { testid: "enterprise-link" } }, row.name),
  },
  { key: "region_code", label: "行政区划", render: (row) => row.region?.name || row.region?.code },
  { key: "industries", label: "行业", sortable: false, render: (row) => row.industries.map((i) => i.label).join("、") },
  { key: "grade", label: "风险等级", render: (row) => (row.grade ? badge(row.grade.code, row.grade.label) : badge("none", "未评定")) },
  { key: "open_hazards", label: "未闭环隐患", render: count("open_hazards") },
  { key: "overdue_hazards", label: "超期", render: count("overdue_hazards") },
  { key: "open_major_hazards", label: "重大隐患", render: count("open_major_hazards") },
  { key: "operation_rate", label: "在线运行率", render: (row) => operationRate(row.operation_rate) },
  { key: "last_inspection_at", label: "最近排查", render: (row) => (row.last_inspection_at ? fmtDateTime(row.last_inspection_at) : h("span", { class: "muted", text: "无记录" })) },
  { key: "unacknowledged_orders", label: "未签收指令", render: count("unacknowledged_orders") },
  {
    key: "escalated_orders",
    label: "已升级",
    render: (row) => (row.escalated_orders > 0 ? badge("alert", `${row.escalated_orders} 份逾期`) : "0"),
  },
  { key: "listed_major_hazards", label: "挂牌督办", render: count("listed_major_hazards") },
  {
    key: "commitment",
    label: "今日承诺",
    sortable: false,
    render: (row) => (row.commitment ? badge({ on_time: "green", late: "orange", missing: "red" }[row.commitment.code] || "none", row.commitment.label) : "—"),
  },
];

function select(name, label, options, value) {
  return h(
    "label",
    {},
    label,
    h(
      "select",
      { name, dataset: { testid: `filter-${name}` } },
      options.map(([code, text]) => h("option", { value: code, selected: code === (value || "") }, text)),
    ),
  );
}

function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : "";
}

export async function mount(container, { query }) {
  const state = Object.fromEntries(FILTER_KEYS.map((k) => [k, query[k] || ""]));
  if (!state.sort) Object.assign(state, { sort: "overdue_hazards", order: "desc" });

  const kpis = h("div", { class: "kpis", dataset: { testid: "kpis" } });
  const tableBox = h("div", { dataset: { testid: "overview-table-box" } });
  const charts = h("div", { class: "charts", dataset: { testid: "charts" } });
  const caption = h("span", { class: "muted" });
  const form = h(
    "form",
    { class: "filters", dataset: { testid: "filters" }, on: { change: () => apply(), submit: (e) => (e.preventDefault(), apply()) } },
    select("industry", "行业", [["", "全部行业"], ...INDUSTRIES], state.industry),
    h("label", {}, "行政区划代码", h("input", { name: "region_code", value: state.region_code, placeholder: "如 330211", size: 10, dataset: { testid: "filter-region_code" } })),
    select("grade", "风险等级", [["", "全部等级"], ...GRADES.map(([c, l]) => [c, c === "none" ? l : `${l}色`])], state.grade),
    select("stale_days", "排查情况", [["", "全部"], ["7", "7 天内无排查"], ["30", "30 天内无排查"]], state.stale_days),
    h("button", { type: "button", class: "secondary", text: "重置", dataset: { testid: "filter-reset" }, on: { click: reset } }),
  );
  fill(
    container,
    h("div", { class: "screen-head" }, h("h1", { text: "辖区总览" }), caption),
    kpis,
    form,
    tableBox,
    h("h2", { text: "近 30 天趋势" }),
    charts,
  );

  let alive = true;
  let ticket = 0;

  function reset() {
    for (const key of ["industry", "region_code", "grade", "stale_days"]) state[key] = "";
    form.reset();
    for (const el of form.elements) if (el.name) el.value = "";
    load();
  }

  function apply() {
    for (const el of form.elements) if (el.name) state[el.name] = el.value.trim();
    load();
  }

  function sortBy(key) {
    if (state.sort === key) state.order = state.order === "desc" ? "asc" : "desc";
    else Object.assign(state, { sort: key, order: key === "name" || key === "region_code" ? "asc" : "desc" });
    load();
  }

  async function load() {
    const mine = ++ticket;
    replaceQuery({ screen: "overview" }, state);
    const filters = { industry: state.industry, region_code: state.region_code };
    const [overview, trends] = await Promise.all([
      api("GET", `/api/v1/oversight/overview${queryString(state)}`),
      api("GET", `/api/v1/oversight/trends${queryString({ ...filters, days: 30 })}`),
    ]);
    if (!alive || mine !== ticket) return;
    if (!overview.ok) {
      fill(kpis);
      showProblem(tableBox, overview.problem);
      return;
    }
    const { items, totals } = overview.data;
    caption.textContent = `更新于 ${fmtDateTime(overview.data.generated_at)} · 在线运行率统计 ${fmtDate(overview.data.operation_rate_period.from)} 至 ${fmtDate(overview.data.operation_rate_period.to)}`;
    fill(
      kpis,
      KPIS.map(([key, label, alert]) =>
        h(
          "div",
          { class: ["kpi", alert && totals[key] > 0 && "alert"], dataset: { testid: `kpi-${key}`, value: totals[key] } },
          h("div", { class: "value", text: totals[key] }),
          h("div", { class: "label", text: label }),
        ),
      ),
      h(
        "div",
        { class: "kpi", dataset: { testid: "kpi-average_operation_rate" } },
        h("div", { class: "value", text: percent(totals.average_operation_rate) }),
        h("div", { class: "label", text: "平均在线运行率" }),
      ),
    );
    fill(
      tableBox,
      table(COLUMNS, items, {
        sort: { key: state.sort, dir: state.order },
        onSort: sortBy,
        testid: "overview-table",
        empty: "没有符合条件的企业",
        rowAttrs: (row) => ({
          class: row.escalated_orders > 0 ? "alert" : "",
          dataset: { testid: "overview-row", id: row.id, escalated: row.escalated_orders > 0 ? "true" : "false" },
        }),
      }),
    );
    await renderCharts(trends, mine);
  }

  let drawn = [];

  function disposeCharts() {
    for (const chart of drawn) chart.dispose();
    drawn = [];
  }

  function chartBox(title, testid, short = false) {
    const box = h("div", { class: ["chart-canvas", short && "short"], role: "img", "aria-label": title, dataset: { testid } });
    return { box, node: h("div", { class: "chart" }, h("h3", { text: title }), box) };
  }

  async function renderCharts(trends, mine) {
    if (!trends.ok) {
      disposeCharts();
      showProblem(charts, trends.problem);
      return;
    }
    let echarts;
    try {
      echarts = await loadEcharts();
    } catch {
      if (alive && mine === ticket) fill(charts, h("p", { class: "muted", text: "图表组件加载失败，请刷新页面重试。" }));
      return;
    }
    if (!alive || mine !== ticket) return;
    disposeCharts();
    const days = trends.data.days;
    const labels = days.map((d) => d.day.slice(5));
    const grades = trends.data.grades;
    const hazards = chartBox("隐患上报、销号与超期", "chart-hazards");
    const inspections = chartBox("每日完成排查次数", "chart-inspections");
    const distribution = chartBox("企业风险等级分布（当前）", "chart-grades", true);
    fill(charts, hazards.node, inspections.node, distribution.node);
    const options = [
      [
        hazards.box,
        trendOption({
          labels,
          series: [
            { name: "上报", color: "#2f7fd1", values: days.map((d) => d.hazards_reported) },
            { name: "销号", color: "#2e9d5b", values: days.map((d) => d.hazards_closed) },
            { name: "超期未整改（日末）", color: "#d4302b", values: days.map((d) => d.overdue_open) },
          ],
        }),
      ],
      [inspections.box, trendOption({ labels, kind: "bar", series: [{ name: "排查", color: "#0b4f8a", values: days.map((d) => d.inspections) }] })],
      [
        distribution.box,
        distributionOption(
          GRADES.map(([code, label]) => ({ key: code, label: code === "none" ? label : `${label}色`, value: grades[code], color: gradeColor(code) })),
        ),
      ],
    ];
    for (const [box, option] of options) {
      const mounted = mountChart(echarts, box);
      mounted.chart.setOption({ aria: { enabled: true }, ...option });
      box.dataset.ready = "true";
      drawn.push(mounted);
    }
  }

  await load();
  return () => {
    alive = false;
    disposeCharts();
  };
}
