// 双随机一公开: renders the published random spot checks from /api/v1/public/spot-checks, each
// explained in plain words, with its reproduction details offered as a download.
import { cardTable, el, zhDate } from "/public/format.js";

const status = document.getElementById("status");
const root = document.getElementById("draws");

const ASSIGNMENTS = [
  ["序号", (a) => String(a.position)],
  ["企业名称", (a) => a.enterprise],
  ["检查人员", (a) => a.inspectors.join("、")],
  ["检查结果", (a) => a.result.label],
  ["结果说明", (a) => a.result_summary || "—"],
  ["录入日期", (a) => zhDate(a.recorded_on)],
];

// Who drew, when, how many from which registry of how many, the seed, and how to repeat it.
export function explanation(draw) {
  return [
    `${draw.regulator}于${zhDate(draw.drawn_at)}进行本次抽取，${zhDate(draw.published_at)}公开。`,
    `从“检查对象名录”的 ${draw.object_pool.length} 家企业中随机抽取 ${draw.enterprise_count} 家，` +
      `并从“执法检查人员名录”的 ${draw.inspector_pool.length} 名检查人员中为每家企业随机匹配 ${draw.inspectors_per_enterprise} 名。`,
    `本次抽取的随机种子是“${draw.seed}”。用这个种子和下面按公示顺序列出的两个名录，任何人都可以重复这次抽取，结果应与本页公示的完全一致。`,
  ].join("");
}

function registry(label, names, unit) {
  const details = el("details", null, { class: "registry meta" });
  details.append(el("summary", `${label}（${names.length} ${unit}，按公示顺序）`));
  details.append(el("p", names.join("、")));
  return details;
}

function drawSection(draw) {
  const section = el("section", null, { class: "draw", "data-testid": `public-draw-${draw.id}` });
  section.append(el("h2", draw.title));
  section.append(el("p", explanation(draw), { class: "meta", "data-testid": "public-explanation" }));
  const seed = el("p", "随机种子：", { class: "meta" });
  seed.append(el("strong", draw.seed, { "data-testid": "public-seed" }));
  section.append(seed);
  section.append(registry("检查对象名录", draw.object_pool, "家"));
  section.append(registry("执法检查人员名录", draw.inspector_pool, "人"));
  section.append(
    el("a", "下载复核材料（JSON）", {
      class: "download",
      href: `/api/v1/public/spot-checks/${draw.id}/reproduction`,
      download: `spot-check-${draw.id}-reproduction.json`,
      "data-testid": "public-reproduction",
    }),
  );
  section.append(el("h3", "抽取结果"));
  section.append(cardTable("public-assignments", ASSIGNMENTS, draw.assignments, "本次抽取没有结果。"));
  return section;
}

async function load() {
  try {
    const response = await fetch("/api/v1/public/spot-checks", { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    const { items } = await response.json();
    root.replaceChildren(...items.map(drawSection));
    status.textContent = items.length ? `共 ${items.length} 次已公开的随机抽查。` : "暂无已公开的随机抽查。";
    document.body.dataset.loaded = "1";
  } catch {
    status.textContent = "加载失败，请稍后刷新重试。";
  }
}

load();
