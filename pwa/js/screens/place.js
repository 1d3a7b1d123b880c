// A place reached by its QR code: what it is, its risk information when available, its tasks.
import * as api from "../api.js";
import * as db from "../db.js";
import { reconcileTasks } from "../sync.js";
import { emptyState, h, labelOf, loading, problemText, screenTitle } from "../ui.js";
import { openTask, taskRow } from "./tasks.js";

const KIND_LABELS = { unit: "装置（单元）", area: "区域", equipment: "设备设施" };
const RISK_CLASSES = { red: "red", orange: "orange", yellow: "yellow", blue: "blue" };

// risk: {level: {code: red|orange|yellow|blue, label}, raised} from the lookup, or null.
function riskBlock(risk) {
  if (!risk) return null;
  const level = risk.level.code;
  const note = risk.raised ? "（存在未销号隐患，临时上调）" : "";
  return h("p", {}, "风险等级：", h(`span.risk.${RISK_CLASSES[level] || "plain"}`, {}, risk.level.label), note);
}

// The notification card and the four-colour maps exist only when the risk module has them; a
// link is shown only for what the server actually returns.
async function riskLinks(place, slot) {
  if (!navigator.onLine) return;
  const [card, plans] = await Promise.all([
    api.request(`places/${place.id}/risk-card.pdf`, { timeout: 15000 }),
    api.request(`enterprises/${place.enterprise_id}/site-plans?limit=5`),
  ]);
  const links = [];
  if (card.ok && card.data instanceof Blob) {
    const url = URL.createObjectURL(card.data);
    links.push(h("a.button.secondary", { href: url, target: "_blank", rel: "noopener", download: `风险告知卡-${place.name}.pdf` }, "风险告知卡（PDF）"));
  }
  for (const plan of plans.ok ? plans.data.items || [] : []) {
    links.push(
      h(
        "button.secondary",
        {
          type: "button",
          onclick: async (event) => {
            const button = event.currentTarget;
            button.disabled = true;
            const map = await api.request(`site-plans/${plan.id}/map.png`, { timeout: 30000 });
            button.disabled = false;
            if (!map.ok || !(map.data instanceof Blob)) return;
            const img = h("img.risk-map", { src: URL.createObjectURL(map.data), alt: `${plan.title}风险四色分布图` });
            button.replaceWith(img);
          },
        },
        `风险四色分布图：${plan.title}`,
      ),
    );
  }
  if (links.length) slot.replaceChildren(h("h3", {}, "风险信息"), ...links);
}

export function mount(container, params) {
  let alive = true;
  const body = h("div", {}, loading());
  container.replaceChildren(screenTitle("检查点"), body);
  const qrScanned = params.query.get("qr") === "1";

  (async () => {
    const result = await api.request(`places/by-token/${encodeURIComponent(params.id)}`);
    if (!alive) return;
    if (!result.ok) {
      const text = result.status === 404 ? `没有编码为“${params.id}”的检查点，请核对后重试。` : problemText(result);
      body.replaceChildren(h("section.card", {}, h("p.error", { role: "alert" }, text), h("a.button.secondary", { href: "#/scan" }, "重新扫码")));
      return;
    }
    const place = result.data.place || result.data;
    const tasks = result.data.tasks || place.tasks || [];
    const [entries, drafts] = await Promise.all([db.listOutbox(), db.listDrafts()]);
    const merged = reconcileTasks(tasks.map((t) => ({ ...t, place: t.place || place })), entries, drafts);
    const cardSlot = h("div");
    const now = Date.now();
    body.replaceChildren(
      h(
        "section.card",
        {},
        h("h2", {}, place.name),
        h("p.muted", {}, [labelOf(place.kind, KIND_LABELS), place.qr_token ? `编码 ${place.qr_token}` : ""].filter(Boolean).join(" · ")),
        place.description ? h("p", {}, place.description) : "",
        riskBlock(result.data.risk),
        qrScanned ? h("p.ok-text", {}, "已扫码确认到达该检查点") : h("p.muted.small", {}, "手动输入编码，记录中将注明未扫码。"),
        cardSlot,
      ),
      h(
        "section.card",
        {},
        h("h2", {}, "本检查点的任务"),
        merged.length
          ? merged.map((t) => {
              const row = taskRow(t, now);
              row.onclick = () => openTask(t, { qrScanned });
              return row;
            })
          : emptyState("该检查点目前没有待完成的任务。"),
      ),
    );
    riskLinks(place, cardSlot);
  })();
  return () => {
    alive = false;
  };
}
