// Small SVG charts drawn in the page (no library, no network): multi-series line chart with axes,
// daily bar chart, and a horizontal bar chart for distributions.

const NS = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "on") for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

// A "nice" upper bound and step for a y axis starting at 0 (integers only: counts).
export function niceScale(max, ticks = 4) {
  if (!(max > 0)) return { top: ticks, step: 1 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  const integerStep = Math.max(1, Math.ceil(step));
  return { top: integerStep * Math.ceil(max / integerStep), step: integerStep };
}

const PAD = { left: 36, right: 12, top: 12, bottom: 26 };

function frame(width, height, labels, top, step) {
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + (labels.length <= 1 ? plotW / 2 : (i * plotW) / (labels.length - 1));
  const y = (v) => PAD.top + plotH - (v / top) * plotH;
  const grid = [];
  for (let v = 0; v <= top; v += step) {
    grid.push(svg("line", { x1: PAD.left, x2: width - PAD.right, y1: y(v), y2: y(v), stroke: "#e3e7ec" }));
    grid.push(svg("text", { x: PAD.left - 6, y: y(v) + 4, "text-anchor": "end", text: v }));
  }
  const every = Math.max(1, Math.ceil(labels.length / 8));
  const last = labels.length - 1;
  labels.forEach((label, i) => {
    // The last day is always labelled; a regular label too close before it is dropped.
    if (i === last || (i % every === 0 && last - i >= every / 2)) {
      grid.push(svg("text", { x: x(i), y: height - 8, "text-anchor": "middle", text: label }));
    }
  });
  return { x, y, grid, plotW };
}

// lineChart({labels, series: [{name, color, values}]}) → <figure> with an SVG and a legend.
export function lineChart({ labels, series, width = 560, height = 220, testid }) {
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const { top, step } = niceScale(max);
  const { x, y, grid } = frame(width, height, labels, top, step);
  const lines = series.map((s) =>
    svg(
      "g",
      { "data-series": s.name },
      svg("polyline", {
        points: s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" "),
        fill: "none",
        stroke: s.color,
        "stroke-width": 2,
      }),
      s.values.map((v, i) =>
        svg("circle", { cx: x(i), cy: y(v), r: 2.5, fill: s.color }, svg("title", { text: `${labels[i]} ${s.name}：${v}` })),
      ),
    ),
  );
  return figure(svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "data-testid": testid }, grid, lines), series);
}

// barChart({labels, series: [{name, color, values}]}): one bar per label (a single series).
export function barChart({ labels, series, width = 560, height = 220, testid }) {
  const [s] = series;
  const max = Math.max(0, ...s.values);
  const { top, step } = niceScale(max);
  const { x, y, grid, plotW } = frame(width, height, labels, top, step);
  const barW = Math.max(2, Math.min(24, (plotW / Math.max(1, labels.length)) * 0.7));
  const bars = s.values.map((v, i) =>
    svg(
      "rect",
      { x: x(i) - barW / 2, y: y(v), width: barW, height: Math.max(0, y(0) - y(v)), fill: s.color, "data-value": v },
      svg("title", { text: `${labels[i]} ${s.name}：${v}` }),
    ),
  );
  return figure(svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "data-testid": testid }, grid, bars), series);
}

// hbarChart([{label, value, color}]) → horizontal bars with their counts.
export function hbarChart(items, { width = 560, testid } = {}) {
  const rowH = 28;
  const height = items.length * rowH + 8;
  const max = Math.max(1, ...items.map((i) => i.value));
  const left = 64;
  const plotW = width - left - 48;
  const rows = items.map((item, i) =>
    svg(
      "g",
      { "data-key": item.key || item.label },
      svg("text", { x: left - 8, y: i * rowH + 20, "text-anchor": "end", text: item.label }),
      svg("rect", { x: left, y: i * rowH + 6, width: Math.max(1, (item.value / max) * plotW), height: rowH - 10, fill: item.color, rx: 3 }),
      svg("text", { x: left + Math.max(1, (item.value / max) * plotW) + 6, y: i * rowH + 20, text: item.value }),
    ),
  );
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "data-testid": testid }, rows);
}

function figure(chart, series) {
  const legend = document.createElement("div");
  legend.className = "chart-legend";
  for (const s of series) {
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = s.color;
    item.append(swatch, s.name);
    legend.append(item);
  }
  const wrap = document.createElement("div");
  wrap.append(chart, legend);
  return wrap;
}
