// 一张图: enterprises placed by latitude/longitude on an SVG (equirectangular projection with a
// graticule, no map tiles, no network), coloured by grade; clicking a marker opens the enterprise.
import { api } from "../api.js";
import { svg } from "../charts.js";
import { GRADES, INDUSTRIES, gradeColor, gradeLabel } from "../labels.js";
import { navigate, replaceQuery } from "../routes.js";
import { fill, h, showProblem } from "../ui.js";

const WIDTH = 960;
const MARGIN = { left: 70, right: 24, top: 20, bottom: 40 };
const STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5];

// The bounds of the points, padded, never narrower than minSpan degrees.
export function bounds(points, minSpan = 0.02) {
  const lats = points.map((p) => p.latitude);
  const lons = points.map((p) => p.longitude);
  let [south, north, west, east] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const padLat = Math.max((north - south) * 0.08, (minSpan - (north - south)) / 2, 0.002);
  const padLon = Math.max((east - west) * 0.08, (minSpan - (east - west)) / 2, 0.002);
  return { south: south - padLat, north: north + padLat, west: west - padLon, east: east + padLon };
}

// Equirectangular with the longitude scaled by cos(mid latitude): fine for a county.
export function projection(box, width = WIDTH) {
  const k = Math.cos((((box.north + box.south) / 2) * Math.PI) / 180);
  const plotW = width - MARGIN.left - MARGIN.right;
  const scale = plotW / ((box.east - box.west) * k);
  const plotH = (box.north - box.south) * scale;
  return {
    height: plotH + MARGIN.top + MARGIN.bottom,
    x: (lon) => MARGIN.left + (lon - box.west) * k * scale,
    y: (lat) => MARGIN.top + (box.north - lat) * scale,
  };
}

export function graticuleStep(span) {
  return STEPS.find((s) => span / s <= 8) || 10;
}

function ticks(from, to, step) {
  const out = [];
  for (let v = Math.ceil(from / step) * step; v <= to + 1e-9; v += step) out.push(Number(v.toFixed(6)));
  return out;
}

function decimals(step) {
  return Math.max(0, -Math.floor(Math.log10(step)) + (String(step).includes("25") ? 1 : 0));
}

function shortName(name) {
  return name.replace(/有限(责任)?公司$/, "");
}

function drawMap(points) {
  const box = bounds(points);
  const proj = projection(box);
  const height = Math.round(proj.height);
  const latStep = graticuleStep(box.north - box.south);
  const lonStep = graticuleStep(box.east - box.west);
  const grid = [
    ...ticks(box.west, box.east, lonStep).map((lon) =>
      svg(
        "g",
        { class: "axis" },
        svg("line", { class: "graticule", x1: proj.x(lon), x2: proj.x(lon), y1: MARGIN.top, y2: height - MARGIN.bottom }),
        svg("text", { x: proj.x(lon), y: height - MARGIN.bottom + 16, "text-anchor": "middle", text: `${lon.toFixed(decimals(lonStep))}°E` }),
      ),
    ),
    ...ticks(box.south, box.north, latStep).map((lat) =>
      svg(
        "g",
        { class: "axis" },
        svg("line", { class: "graticule", x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: proj.y(lat), y2: proj.y(lat) }),
        svg("text", { x: MARGIN.left - 6, y: proj.y(lat) + 4, "text-anchor": "end", text: `${lat.toFixed(decimals(latStep))}°N` }),
      ),
    ),
    svg("rect", { x: MARGIN.left, y: MARGIN.top, width: WIDTH - MARGIN.left - MARGIN.right, height: height - MARGIN.top - MARGIN.bottom, fill: "none", stroke: "#c9d0d8" }),
  ];
  // Worst grades drawn last so they sit on top.
  const order = Object.fromEntries(GRADES.map(([code], i) => [code, -i]));
  const sorted = [...points].sort((a, b) => order[a.grade?.code || "none"] - order[b.grade?.code || "none"]);
  const markers = sorted.map((p) => {
    const cx = proj.x(p.longitude);
    const cy = proj.y(p.latitude);
    const r = 6 + Math.min(p.open_hazards, 10) * 0.6;
    return svg(
      "g",
      {
        class: "marker-group",
        "data-testid": "map-marker",
        "data-id": p.id,
        "data-grade": p.grade?.code || "none",
        tabindex: 0,
        role: "link",
        "aria-label": p.name,
        on: {
          click: () => navigate("enterprise", p.id),
          keydown: (e) => e.key === "Enter" && navigate("enterprise", p.id),
        },
      },
      svg(
        "circle",
        { class: "marker", cx, cy, r, fill: gradeColor(p.grade?.code) },
        svg("title", { text: `${p.name}\n风险等级：${gradeLabel(p.grade?.code)}\n未闭环隐患 ${p.open_hazards}，超期 ${p.overdue_hazards}` }),
      ),
      p.escalated_orders > 0 || p.overdue_hazards > 0
        ? svg("circle", { cx, cy, r: r + 4, fill: "none", stroke: "#d4302b", "stroke-width": 1.5, "stroke-dasharray": "3 2" })
        : null,
      // Labels of markers near the right edge go to their left so they stay inside the map.
      cx > WIDTH * 0.75
        ? svg("text", { class: "label", x: cx - r - 4, y: cy + 4, "text-anchor": "end", text: shortName(p.name) })
        : svg("text", { class: "label", x: cx + r + 4, y: cy + 4, text: shortName(p.name) }),
    );
  });
  return svg(
    "svg",
    { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: "img", "aria-label": "辖区企业分布图", "data-testid": "map-svg" },
    grid,
    markers,
  );
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

  async function load() {
    for (const el of form.elements) if (el.name) state[el.name] = el.value;
    replaceQuery(state);
    const search = new URLSearchParams(Object.entries(state).filter(([, v]) => v)).toString();
    const result = await api("GET", `/api/v1/oversight/overview${search ? `?${search}` : ""}`);
    if (!alive) return;
    if (!result.ok) return showProblem(mapBox, result.problem);
    const items = result.data.items;
    const placed = items.filter((p) => p.latitude !== null && p.longitude !== null);
    const missing = items.filter((p) => p.latitude === null || p.longitude === null);
    const counts = Object.fromEntries(GRADES.map(([c]) => [c, placed.filter((p) => (p.grade?.code || "none") === c).length]));
    const legend = h(
      "div",
      { class: "legend card", dataset: { testid: "map-legend" } },
      h("strong", { text: `企业 ${placed.length} 家` }),
      GRADES.map(([code, label]) => h("div", {}, h("span", { class: "swatch", style: { background: gradeColor(code) } }), `${code === "none" ? label : `${label}色`}：${counts[code]}`)),
      h("div", { class: "muted", text: "圆点越大，未闭环隐患越多；红色虚线圈表示有超期隐患或逾期未签收指令。" }),
      h("div", { class: "muted", text: "按企业登记的经纬度绘制（等距圆柱投影），不加载在线底图。" }),
      missing.length
        ? h("div", { dataset: { testid: "map-missing" } }, h("strong", { text: `未登记坐标 ${missing.length} 家：` }), missing.map((p) => p.name).join("、"))
        : null,
    );
    fill(mapBox, placed.length ? drawMap(placed) : h("p", { class: "muted card", text: "没有带坐标的企业。" }), legend);
  }

  await load();
  return () => {
    alive = false;
  };
}
