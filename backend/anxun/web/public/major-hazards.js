// The public list of supervised major hazards: fetches the open endpoint and fills two lists
// (tables on a wide screen, cards on a phone). Text goes in through textContent only.
import { cardTable, el, zhDate } from "/public/format.js";

const COMMON = [
  ["督办编号", (i) => i.listing_no],
  ["企业名称", (i) => i.enterprise_name],
  ["所在地区", (i) => i.region_name],
  ["隐患概要", (i) => i.public_summary],
  ["督办单位", (i) => i.supervising_office],
];
const LISTED = [
  ...COMMON,
  ["整改期限", (i) => zhDate(i.deadline)],
  ["挂牌日期", (i) => zhDate(i.listed_on)],
  ["状态", (i) => i.status.label],
];
const DELISTED = [
  ...COMMON,
  ["挂牌日期", (i) => zhDate(i.listed_on)],
  ["摘牌日期", (i) => zhDate(i.delisted_on)],
  ["状态", (i) => i.status.label],
];

const picker = document.querySelector("[name=region_code]");
const status = document.getElementById("status");

function rowAttrs(item) {
  return { "data-testid": "public-row", "data-listing-no": item.listing_no };
}

// The region picker: provinces, their cities and districts by name (GB/T 2260), indented.
async function loadRegions(selected) {
  const response = await fetch("/api/v1/public/major-hazards/regions", { cache: "no-store" });
  if (!response.ok) throw new Error(String(response.status));
  const { items } = await response.json();
  const depth = { province: 0, city: 1, county: 2 };
  const options = items.map((region) => {
    const below = items.some((other) => other.parent_code === region.code);
    const label = `${"　".repeat(depth[region.level.code] ?? 0)}${region.name}${below ? "（全部）" : ""}`;
    return el("option", label, { value: region.prefix, "data-code": region.code });
  });
  picker.replaceChildren(el("option", "全部地区", { value: "" }), ...options);
  // A link with a code that is no longer offered still filters; the picker then says so.
  if (selected && !items.some((r) => r.prefix === selected)) {
    picker.append(el("option", `行政区划代码 ${selected}`, { value: selected }));
  }
  picker.value = selected;
}

async function load() {
  const region = new URLSearchParams(location.search).get("region_code") || "";
  const query = region ? `?region_code=${encodeURIComponent(region)}` : "";
  status.textContent = "正在加载…";
  delete document.body.dataset.loaded;
  try {
    const response = await fetch(`/api/v1/public/major-hazards${query}`, { cache: "no-store" });
    if (!response.ok) throw new Error(String(response.status));
    const { items } = await response.json();
    const listed = items.filter((i) => i.status.code === "listed");
    const delisted = items.filter((i) => i.status.code !== "listed");
    document.getElementById("listed").replaceChildren(cardTable("public-listed", LISTED, listed, "暂无挂牌督办中的重大事故隐患。", rowAttrs));
    document.getElementById("delisted").replaceChildren(cardTable("public-delisted", DELISTED, delisted, "暂无已销号记录。", rowAttrs));
    const where = region && picker.selectedOptions[0] ? `${picker.selectedOptions[0].textContent.trim()}：` : "";
    status.textContent = `${where}督办中 ${listed.length} 项，已销号 ${delisted.length} 项。`;
    document.body.dataset.loaded = "1";
  } catch {
    status.textContent = "加载失败，请稍后刷新重试。";
  }
}

function applyFilter() {
  const url = new URL(location.href);
  if (picker.value) url.searchParams.set("region_code", picker.value);
  else url.searchParams.delete("region_code");
  history.replaceState(null, "", url);
  load();
}

picker.addEventListener("change", applyFilter);
document.getElementById("filter").addEventListener("submit", (event) => {
  event.preventDefault();
  applyFilter();
});

async function start() {
  const region = new URLSearchParams(location.search).get("region_code") || "";
  try {
    await loadRegions(region);
  } catch {
    picker.disabled = true;
  }
  await load();
}

start();
