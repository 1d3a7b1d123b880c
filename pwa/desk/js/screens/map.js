// 一张图: enterprises as points on the 宁波市 district boundaries (vendored GeoJSON, no tiles, no
// network), coloured by grade, with labels that hide rather than overlap; clicking a point opens
// the enterprise. Drawn by Apache ECharts, loaded only when this screen opens.
import { api } from "../api.js";
import { DISTRICT_MAP, loadDistricts, loadEcharts, mountChart } from "../charts.js";
import { GRADES, INDUSTRIES, gradeColor, gradeLabel } from "../labels.js";
import { href, navigate, replaceQuery } from "../routes.js";
import { fill, h, showProblem } from "../ui.js";

// Never zoom in further than this many degrees across: the districts around the points stay in view.
const MIN_SPAN = 0.16;

// The view: the points' bounds, padded, never narrower than MIN_SPAN degrees.
export function bounds(points, minSpan = MIN_SPAN) {
  const lats = points.map((p) => p.latitude);
  const lons = points.map((p) => p.longitude);
  let [south, north, west, east] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const padLat = Math.max((north - south) * 0.15, (minSpan - (north - south)) / 2);
  const padLon = Math.max((east - west) * 0.15, (minSpan - (east - west)) / 2);
  [south, north, west, east] = [south - padLat, north + padLat, west - padLon, east + padLon];
  return { south, north, west, east };
}

function shortName(name) {
  return name.replace(/有限(责任)?公司$/, "");
}

function gradeName(code) {
  return code === "none" ? gradeLabel(code) : `${gradeLabel(code)}色`;
}

// One scatter series per grade (so the legend can show and hide a grade); worst grades drawn last.
export function mapOption(points) {
  const box = bounds(points);
  const series = [...GRADES].reverse().map(([code], index) => ({
    type: "scatter",
    name: gradeName(code),
    coordinateSystem: "geo",
    z: 3 + index,
    color: gradeColor(code),
    itemStyle: { borderColor: "#fff", borderWidth: 1.5 },
    emphasis: { scale: 1.3, itemStyle: { borderColor: "#1d2733" } },
    cursor: "pointer",
    label: { show: true, position: "right", formatter: "{b}", color: "#1d2733", fontSize: 11 },
    labelLayout: { hideOverlap: true },
    data: points
      .filter((p) => (p.grade?.code || "none") === code)
      .map((p) => ({
        id: String(p.id),
        name: shortName(p.name),
        value: [p.longitude, p.latitude],
        enterprise: p,
        symbolSize: 14 + Math.min(p.open_hazards, 10) * 1.4,
        // A dashed red ring: overdue hazards or orders escalated for not being acknowledged.
        itemStyle: p.escalated_orders > 0 || p.overdue_hazards > 0 ? { borderColor: "#d4302b", borderWidth: 3, borderType: "dashed" } : undefined,
      })),
  }));
  return {
    animation: false,
    aria: { enabled: true },
    tooltip: {
      trigger: "item",
      formatter: (params) => {
        const p = params.data?.enterprise;
        if (!p) return params.name;
        const div = document.createElement("div");
        div.append(p.name, document.createElement("br"), `风险等级：${gradeName(p.grade?.code || "none")}`);
        div.append(document.createElement("br"), `未闭环隐患 ${p.open_hazards}，超期 ${p.overdue_hazards}`);
        return div;
      },
    },
    legend: { top: 8, left: 8, orient: "vertical", backgroundColor: "rgba(255,255,255,0.85)", data: series.map((s) => s.name).reverse() },
    geo: {
      map: DISTRICT_MAP,
      roam: true,
      boundingCoords: [
        [box.west, box.north],
        [box.east, box.south],
      ],
      scaleLimit: { min: 0.5, max: 20 },
      itemStyle: { areaColor: "#eef2f6", borderColor: "#8c99a8", borderWidth: 1 },
      emphasis: { disabled: true },
      select: { disabled: true },
      label: { show: true, color: "#6b7785", fontSize: 13 },
      labelLayout: { hideOverlap: true },
      tooltip: { show: false },
    },
    series,
  };
}

export async function mount(container, { query }) {
  const state = { industry: query.industry || "", grade: query.grade || "" };
  const mapBox = h("div", { class: "map-wrap", dataset: { testid: "map" } });
  const form = h(
    "form",
    { class: "filters", on: { change: () => load(), submit: (e) => (e.preventDefault(), load()) } },
    h(
      "label",
      {},
      "行业",
      h("select", { name: "industry", dataset: { testid: "map-filter-industry" } }, [["", "全部行业"], ...INDUSTRIES].map(([c, l]) => h("option", { value: c, selected: c === state.industry }, l))),
    ),
    h(
      "label",
      {},
      "风险等级",
      h("select", { name: "grade", dataset: { testid: "map-filter-grade" } }, [["", "全部等级"], ...GRADES.map(([c, l]) => [c, l])].map(([c, l]) => h("option", { value: c, selected: c === state.grade }, l))),
    ),
  );
  fill(container, h("h1", { text: "一张图" }), form, mapBox);
  let alive = true;
  let ticket = 0;
  let drawn = null;

  function dispose() {
    drawn?.dispose();
    drawn = null;
  }

  async function load() {
    const mine = ++ticket;
    for (const el of form.elements) if (el.name) state[el.name] = el.value;
    replaceQuery({ screen: "map" }, state);
    const search = new URLSearchParams(Object.entries(state).filter(([, v]) => v)).toString();
    const result = await api("GET", `/api/v1/oversight/overview${search ? `?${search}` : ""}`);
    if (!alive || mine !== ticket) return;
    if (!result.ok) {
      dispose();
      return showProblem(mapBox, result.problem);
    }
    const items = result.data.items;
    const placed = items.filter((p) => p.latitude !== null && p.longitude !== null);
    const missing = items.filter((p) => p.latitude === null || p.longitude === null);
    const counts = Object.fromEntries(GRADES.map(([c]) => [c, placed.filter((p) => (p.grade?.code || "none") === c).length]));
    const legend = h(
      "div",
      { class: "legend card", dataset: { testid: "map-legend" } },
      h("strong", { text: `企业 ${placed.length} 家` }),
      GRADES.map(([code]) => h("div", {}, h("span", { class: "swatch", style: { background: gradeColor(code) } }), `${gradeName(code)}：${counts[code]}`)),
      h("div", { class: "muted", text: "点越大，未闭环隐患越多；红色虚线边表示有超期隐患或逾期未签收指令。点击企业打开详情，滚轮缩放、拖动平移。" }),
      h("div", { class: "muted", text: "底图为宁波市区县边界（随系统提供，不加载在线地图），企业按登记的经纬度绘制。" }),
      missing.length
        ? h("div", { dataset: { testid: "map-missing" } }, h("strong", { text: `未登记坐标 ${missing.length} 家：` }), missing.map((p) => p.name).join("、"))
        : null,
    );
    if (!placed.length) {
      dispose();
      fill(mapBox, h("p", { class: "muted card", text: "没有带坐标的企业。" }), legend);
      return;
    }
    let echarts;
    try {
      echarts = await loadEcharts();
      await loadDistricts(echarts);
    } catch {
      if (alive && mine === ticket) fill(mapBox, h("p", { class: "muted card", text: "地图组件加载失败，请刷新页面重试。" }), legend);
      return;
    }
    if (!alive || mine !== ticket) return;
    dispose();
    const canvas = h("div", { class: "map-canvas", role: "img", "aria-label": "辖区企业分布图", dataset: { testid: "map-chart" } });
    // The same places as links, for keyboards and screen readers (the canvas has no focusable points).
    const list = h(
      "ul",
      { class: "visually-hidden", "aria-label": "图上的企业", dataset: { testid: "map-points" } },
      placed.map((p) => h("li", {}, h("a", { href: href("enterprise", p.id), dataset: { id: p.id } }, `${p.name}（${gradeName(p.grade?.code || "none")}）`))),
    );
    fill(mapBox, canvas, h("div", {}, legend, list));
    drawn = mountChart(echarts, canvas);
    drawn.chart.setOption(mapOption(placed));
    drawn.chart.on("click", { seriesType: "scatter" }, (params) => navigate("enterprise", params.data.enterprise.id));
    canvas.dataset.points = String(placed.length);
    canvas.dataset.ready = "true";
  }

  await load();
  return () => {
    alive = false;
    dispose();
  };
}
