// A place reached by its QR code: what it is, its risk information when available, its tasks,
// an ad-hoc check of any checklist the enterprise uses, and 随手拍 here.
import * as api from "../api.js";
import * as db from "../db.js";
import { fetchChecklist, startAdHoc } from "../inspection.js";
import { currentEnterprise, navigate } from "../session.js";
import { reconcileTasks } from "../sync.js";
import { emptyState, h, labelOf, loading, problemText, screenTitle, toast } from "../ui.js";
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

// The notification card is rendered on demand (a PDF per scan would slow every scan down); the
// four-colour maps are offered only when the risk module has them.
async function riskLinks(place, slot) {
  if (!navigator.onLine) return;
  const plans = await api.request(`enterprises/${place.enterprise_id}/site-plans?limit=5`);
  const links = [
    h(
      "button.secondary",
      {
        type: "button",
        onclick: async (event) => {
          const button = event.currentTarget;
          button.disabled = true;
          const card = await api.request(`places/${place.id}/risk-card.pdf`, { timeout: 30000 });
          button.disabled = false;
          if (!card.ok || !(card.data instanceof Blob)) {
            toast(problemText(card), { kind: "error" });
            return;
          }
          const url = URL.createObjectURL(card.data);
          button.replaceWith(h("a.button.secondary", { href: url, target: "_blank", rel: "noopener", download: `风险告知卡-${place.name}.pdf` }, "打开风险告知卡（PDF）"));
        },
      },
      "风险告知卡（PDF）",
    ),
  ];
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

// 临时检查: the enterprise's checklists; a checklist with profiles (简版) asks which one.
function adHocCard(place, qrScanned, hasTasks) {
  const enterprise = currentEnterprise();
  const slot = h("div");
  const start = async (checklist, profile) => {
    const started = await startAdHoc({ checklist, profile, place: { id: place.id, name: place.name, latitude: place.latitude, longitude: place.longitude }, qrScanned });
    navigate(`#/inspect/${started.id}`);
  };
  const choose = async (summary) => {
    const result = await fetchChecklist(summary.code, enterprise.id);
    if (!result.ok) {
      toast(result.status === 0 ? "离线且本机没有该检查表，请联网后再试。" : problemText(result), { kind: "error" });
      return;
    }
    const checklist = result.data;
    const profiles = checklist.document.profiles || [];
    if (!profiles.length) return start(checklist, null);
    slot.replaceChildren(
      h("h3", {}, checklist.title),
      h("button.secondary.ad-hoc-choice", { type: "button", onclick: () => start(checklist, null) }, `完整版（${summary.item_count} 项）`),
      ...profiles.map((p) =>
        h("button.secondary.ad-hoc-choice", { type: "button", dataset: { profile: p.code }, onclick: () => start(checklist, p.code) }, `${p.title}（${p.items.length} 项）`),
      ),
    );
  };
  const button = h("button.start-ad-hoc", { type: "button", onclick: () => open() }, "开始临时检查");
  const open = async () => {
    button.remove();
    slot.replaceChildren(loading("正在加载检查表…"));
    const result = await api.request(`checklists?enterprise_id=${enterprise.id}`);
    const list = result.ok ? (Array.isArray(result.data) ? result.data : result.data?.items || []) : [];
    slot.replaceChildren(
      ...(list.length
        ? list.map((c) => h("button.secondary.ad-hoc-checklist", { type: "button", dataset: { code: c.code }, onclick: () => choose(c) }, `${c.title}（${c.item_count} 项）`))
        : [h("p.error", { role: "alert" }, result.ok ? "本企业没有可用的检查表。" : problemText(result))]),
    );
  };
  return h(
    "section.card.ad-hoc",
    {},
    h("h2", {}, "临时检查"),
    h("p.small.muted", {}, hasTasks ? "不属于上面任务的检查，也可在此开始。" : "该检查点今天没有任务，可选择本企业使用的检查表开始临时检查。"),
    slot,
    button,
    h("a.button.secondary", { href: `#/report?place=${place.id}` }, "随手拍：在此上报隐患"),
  );
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
              return taskRow(t, now, { onOpen: () => openTask(t, { qrScanned }) });
            })
          : emptyState("该检查点目前没有待完成的任务。"),
      ),
      adHocCard(place, qrScanned, merged.length > 0),
    );
    riskLinks(place, cardSlot);
  })();
  return () => {
    alive = false;
  };
}
