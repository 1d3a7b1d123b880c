// Apache ECharts for the screens that draw charts or the map. The library (vendor/echarts: a build
// of just the parts the desk draws, 189 KB gzipped) is imported on demand, so the desk's first load
// never includes it; the district boundaries (vendor/geo) are fetched once, when the map first
// opens. Nothing comes from a CDN.

const ECHARTS = "../vendor/echarts/echarts.desk.min.js";
const DISTRICTS = new URL("../vendor/geo/ningbo.json", import.meta.url);
export const DISTRICT_MAP = "ningbo";

let library = null;
let districts = null;

export function loadEcharts() {
  // A failed import (server gone, network cut) may be retried by the next screen.
  library ||= import(ECHARTS).catch((error) => {
    library = null;
    throw error;
  });
  return library;
}

// The 宁波市 districts registered as DISTRICT_MAP (ECharts' compressed GeoJSON, decoded by ECharts).
export async function loadDistricts(echarts) {
  districts ||= fetch(DISTRICTS)
    .then((response) => {
      if (!response.ok) throw new Error(`districts ${response.status}`);
      return response.json();
    })
    .then((geoJson) => echarts.registerMap(DISTRICT_MAP, geoJson))
    .catch((error) => {
      districts = null;
      throw error;
    });
  return districts;
}

// A chart in `node` that follows the node's width and is disposed with the screen.
export function mountChart(echarts, node) {
  const chart = echarts.init(node, null, { renderer: "canvas", locale: "ZH" });
  const observer = new ResizeObserver(() => chart.resize());
  observer.observe(node);
  return {
    chart,
    dispose() {
      observer.disconnect();
      chart.dispose();
    },
  };
}

const AXIS_TEXT = { color: "#5b6675", fontSize: 11 };

// Days on x, counts on y: lines (kind "line") or bars (kind "bar"), one per series.
export function trendOption({ labels, series, kind = "line" }) {
  return {
    animation: false,
    grid: { left: 36, right: 12, top: 12, bottom: 48, containLabel: false },
    tooltip: { trigger: "axis" },
    legend: { bottom: 0, icon: kind === "line" ? "rect" : "roundRect", itemHeight: 4, textStyle: AXIS_TEXT },
    xAxis: { type: "category", data: labels, axisLabel: { ...AXIS_TEXT, hideOverlap: true }, boundaryGap: kind === "bar" },
    yAxis: { type: "value", minInterval: 1, axisLabel: AXIS_TEXT, splitLine: { lineStyle: { color: "#e3e7ec" } } },
    series: series.map((s) => ({
      name: s.name,
      type: kind,
      data: s.values,
      color: s.color,
      symbolSize: 5,
      barMaxWidth: 24,
    })),
  };
}

// Horizontal bars with their counts: [{key, label, value, color}].
export function distributionOption(items) {
  return {
    animation: false,
    grid: { left: 64, right: 40, top: 4, bottom: 4 },
    tooltip: { trigger: "item" },
    xAxis: { type: "value", show: false, minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: items.map((i) => i.label), axisTick: { show: false }, axisLabel: AXIS_TEXT },
    series: [
      {
        type: "bar",
        name: "企业数",
        data: items.map((i) => ({ value: i.value, itemStyle: { color: i.color, borderRadius: 3 } })),
        label: { show: true, position: "right", ...AXIS_TEXT },
        barMaxWidth: 18,
      },
    ],
  };
}
