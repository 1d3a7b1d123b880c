// 隐患: 待我整改 / 待我验收 / 我上报的 / 全部, with a count of what waits on me, my notifications,
// and the hazards one inspection record raised (#/hazards?inspection=<id>).
import * as api from "../api.js";
import * as db from "../db.js";
import { hazardTabs, sectionRows } from "../hazard_queues.js";
import { currentEnterprise, roleCodes } from "../session.js";
import { reconcileHazards } from "../sync.js";
import { openCount } from "./standards.js";
import { codeOf as code, emptyState, formatDateTime, h, labelOf as label, loading, problemText, screenTitle } from "../ui.js";

export const STATE_LABELS = {
  reported: "已上报",
  confirmed: "已确认",
  rectifying: "整改中",
  pending_verification: "待验收",
  awaiting_signoff: "待核销",
  closed: "已销号",
  rejected: "已驳回",
};
export const LEVEL_LABELS = { general: "一般隐患", major: "重大隐患" };


// Where a notification leads: its hazard, or the screen its kind is handled on.
export function noticeHref(n) {
  if (n.hazard_id) return `#/hazard/${n.hazard_id}`;
  if (n.permit_id) return `#/permits/${n.permit_id}`;
  if (code(n.kind) === "standard_change") return "#/standards";
  return undefined;
}

function itemsOf(data) {
  return Array.isArray(data) ? data : data?.items || [];
}

function hazardRow(hazard) {
  const level = code(hazard.level) || code(hazard.proposed_level);
  const today = new Date().toISOString().slice(0, 10);
  const overdue = hazard.deadline && hazard.deadline < today && !["closed", "rejected"].includes(code(hazard.state));
  return h(
    "a.task",
    { href: `#/hazard/${hazard.id}`, "data-hazard-id": String(hazard.id) },
    h(
      "span.task-main",
      {},
      h("strong", {}, hazard.title),
      hazard.pendingAction
        ? h("span.badge.info", {}, "处理结果待同步")
        : h(`span.badge${code(hazard.state) === "closed" ? ".ok" : ""}`, {}, label(hazard.state, STATE_LABELS)),
    ),
    h(
      "span.muted",
      {},
      [level ? LEVEL_LABELS[level] : "", hazard.place?.name || hazard.place_name || ""].filter(Boolean).join(" · "),
    ),
    hazard.deadline ? h(`span.due${overdue ? ".late" : ""}`, {}, `整改期限 ${hazard.deadline}${overdue ? "（已超期）" : ""}`) : "",
  );
}

export function mount(container, params) {
  let alive = true;
  const enterprise = currentEnterprise();
  const session = api.currentSession();
  const tabs = hazardTabs(roleCodes(), enterprise.id, session?.user?.id);
  const asked = params?.query?.get("tab");
  const segments = h("nav.segments", { "aria-label": "隐患分类" });
  const list = h("div", {}, loading());
  const notes = h("div");
  const status = h("p.muted.small", { role: "status" });
  const rejudge = h("div");
  const managers = roleCodes().some((r) => ["head", "safety_officer"].includes(r));
  const inspectionId = params?.query?.get("inspection");

  async function rejudgeEntry() {
    if (!managers) return;
    const open = await openCount(enterprise.id);
    if (!alive) return;
    rejudge.replaceChildren(
      open
        ? h(
            "a.notice.rejudge-entry",
            { href: "#/standards", dataset: { testid: "open-standards" } },
            h("strong", {}, "标准变更：需重新判定 ", h("span.badge.warn", {}, `${open} 项`)),
            h("span.small", {}, "检查表或风险分级表已更新，请按新标准重新判定。"),
          )
        : "",
    );
  }

  // Every tab's lists at once, so each segment shows its count and the first tab with work opens.
  async function loadTabs(entries) {
    const shown = inspectionId
      ? [{ key: "inspection", title: "该记录生成的隐患", sections: [{ key: "inspection", title: "该记录生成的隐患", path: `hazards?enterprise_id=${enterprise.id}&inspection_id=${encodeURIComponent(inspectionId)}&limit=50` }] }]
      : tabs;
    const results = await Promise.all(shown.map((tab) => Promise.all(tab.sections.map((s) => api.request(s.path)))));
    const failed = results.flat().find((r) => !r.ok);
    if (failed) return { failed };
    const cachedAt = results.flat().map((r) => r.cachedAt).find(Boolean);
    const loaded = shown.map((tab, t) => {
      const seen = new Set();
      const sections = tab.sections
        .map((section, i) => ({ ...section, rows: reconcileHazards(sectionRows(section, results[t][i].data, seen, tab.waiting), entries) }))
        .filter((section) => section.rows.length);
      return { ...tab, sections, count: sections.reduce((n, s) => n + s.rows.length, 0) };
    });
    return { loaded, cachedAt };
  }

  async function refresh() {
    rejudgeEntry();
    const entries = await db.listOutbox();
    const [outcome, notifications] = await Promise.all([loadTabs(entries), api.request("notifications?unread=true&limit=5")]);
    if (!alive) return;
    if (outcome.failed) {
      list.replaceChildren(h("p.error", { role: "alert" }, problemText(outcome.failed)));
    } else {
      const { loaded, cachedAt } = outcome;
      status.textContent = cachedAt ? `离线数据，更新于 ${formatDateTime(cachedAt)}` : "";
      if (!inspectionId) {
        const waiting = loaded.filter((t) => t.waiting).reduce((n, t) => n + t.count, 0);
        window.dispatchEvent(new CustomEvent("anxun:hazards-waiting", { detail: { count: waiting } }));
      }
      const current =
        loaded.find((t) => t.key === asked) || loaded.find((t) => t.waiting && t.count) || loaded.find((t) => t.key === "reported") || loaded[0];
      segments.replaceChildren(
        ...(inspectionId
          ? []
          : loaded.map((tab) =>
              h(
                "a.segment",
                { href: `#/hazards?tab=${tab.key}`, dataset: { tab: tab.key }, "aria-current": tab === current ? "page" : null },
                tab.title,
                tab.waiting && tab.count ? h("span.badge.count", { "aria-label": `${tab.count} 条待处理` }, String(tab.count)) : "",
              ),
            )),
      );
      const empty = {
        todo: "目前没有需要您处理的隐患。",
        verify: "目前没有等待您验收的隐患。",
        reported: "您还没有上报过隐患。",
        all: "本企业还没有隐患。",
        inspection: "该记录没有生成隐患。",
      };
      list.replaceChildren(
        ...(current.sections.length
          ? current.sections.map((section) =>
              h("section.card.hazard-group", { dataset: { group: section.key } }, h("h2", {}, section.title), section.rows.map(hazardRow)),
            )
          : [emptyState(empty[current.key])]),
      );
    }
    const unread = notifications.ok ? itemsOf(notifications.data).filter((n) => !n.read_at) : [];
    notes.replaceChildren(
      unread.length
        ? h(
            "section.card.notices",
            {},
            h("h2", {}, `新消息（${unread.length}）`),
            unread.map((n) =>
              h(
                noticeHref(n) ? "a.notice" : "div.notice",
                {
                  href: noticeHref(n),
                  // Marking read is harmless to lose offline; it does not go through the outbox.
                  onclick: () => api.request(`notifications/${n.id}/read`, { method: "POST" }),
                },
                h("strong", {}, n.title),
                n.body ? h("span.small", {}, n.body) : "",
                h("span.small.muted", {}, formatDateTime(n.created_at)),
              ),
            ),
          )
        : "",
    );
  }

  container.replaceChildren(
    screenTitle(inspectionId ? "记录生成的隐患" : "隐患", h("a.button.report-direct", { href: "#/report" }, "随手拍")),
    status,
    rejudge,
    notes,
    segments,
    list,
  );
  refresh();
  window.addEventListener("anxun:synced", refresh);
  window.addEventListener("anxun:refresh", refresh);
  return () => {
    alive = false;
    window.removeEventListener("anxun:synced", refresh);
    window.removeEventListener("anxun:refresh", refresh);
  };
}
