// The public list of supervised major hazards: fetches the open endpoint and fills two tables.
// Text goes in through textContent only, never as HTML.

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  return td;
}

function row(item, columns) {
  const tr = document.createElement("tr");
  tr.dataset.testid = "public-row";
  tr.dataset.listingNo = item.listing_no;
  for (const column of columns) tr.append(cell(column(item)));
  return tr;
}

const LISTED = [
  (i) => i.listing_no,
  (i) => i.enterprise_name,
  (i) => i.public_summary,
  (i) => i.supervising_office,
  (i) => i.deadline,
  (i) => i.listed_on,
  (i) => i.status.label,
];
const DELISTED = [
  (i) => i.listing_no,
  (i) => i.enterprise_name,
  (i) => i.public_summary,
  (i) => i.supervising_office,
  (i) => i.listed_on,
  (i) => i.delisted_on,
  (i) => i.status.label,
];

function fill(testid, items, columns, empty) {
  const body = document.querySelector(`[data-testid="${testid}"] tbody`);
  body.replaceChildren(...items.map((item) => row(item, columns)));
  if (!items.length) {
    const tr = document.createElement("tr");
    const td = cell(empty);
    td.colSpan = columns.length;
    tr.append(td);
    body.append(tr);
  }
}

async function load() {
  const status = document.getElementById("status");
  const region = new URLSearchParams(location.search).get("region_code") || "";
  document.querySelector("[name=region_code]").value = region;
  const query = region ? `?region_code=${encodeURIComponent(region)}` : "";
  status.textContent = "正在加载…";
  try {
    const response = await fetch(`/api/v1/public/major-hazards${query}`, { cache: "no-store" });
    if (!response.ok) throw new Error(String(response.status));
    const { items } = await response.json();
    const listed = items.filter((i) => i.status.code === "listed");
    const delisted = items.filter((i) => i.status.code !== "listed");
    fill("public-listed", listed, LISTED, "暂无挂牌督办中的重大事故隐患。");
    fill("public-delisted", delisted, DELISTED, "暂无已销号记录。");
    status.textContent = `督办中 ${listed.length} 项，已销号 ${delisted.length} 项。`;
    document.body.dataset.loaded = "1";
  } catch {
    status.textContent = "加载失败，请稍后刷新重试。";
  }
}

document.getElementById("filter").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = new FormData(event.target).get("region_code").trim();
  const url = new URL(location.href);
  if (value) url.searchParams.set("region_code", value);
  else url.searchParams.delete("region_code");
  history.replaceState(null, "", url);
  load();
});

load();
