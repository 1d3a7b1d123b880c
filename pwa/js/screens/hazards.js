// 我的隐患: hazards waiting for me (to rectify, verify or approve), plus my notifications.
import * as api from "../api.js";
import * as db from "../db.js";
import { currentEnterprise, roleCodes } from "../session.js";
import { reconcileHazards } from "../sync.js";
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

// The server's `assigned=me` names hazards I rectify; what waits for my verification or approval
// is found by state, for the roles that act on it.
export function hazardQueries(roles, enterpriseId) {
  const base = `hazards?enterprise_id=${enterpriseId}&limit=50`;
  const queries = [{ key: "mine", title: "待我整改", path: `${base}&assigned=me` }];
  if (roles.some((r) => ["head", "safety_officer", "inspector"].includes(r))) {
    queries.push({ key: "verify", title: "待验收", path: `${base}&state=pending_verification` });
  }
  if (roles.includes("head")) {
    queries.push({
      key: "approve",
      title: "待批准的重大隐患治理方案",
      path: `${base}&state=confirmed&level=major`,
      keep: (h) => h.plan_submitted_by_user_id != null && h.plan_approved_by_user_id == null,
    });
  }
  return queries;
}

export function mount(container) {
  let alive = true;
  const enterprise = currentEnterprise();
  const list = h("div", {}, loading());
  const notes = h("div");
  const status = h("p.muted.small", { role: "status" });

  async function refresh() {
    const queries = hazardQueries(roleCodes(), enterprise.id);
    const [results, notifications, entries] = await Promise.all([
      Promise.all(queries.map((q) => api.request(q.path))),
      api.request("notifications?unread=true&limit=5"),
      db.listOutbox(),
    ]);
    if (!alive) return;
    const failed = results.find((r) => !r.ok);
    if (failed) {
      list.replaceChildren(h("p.error", { role: "alert" }, problemText(failed)));
    } else {
      const cachedAt = results.map((r) => r.cachedAt).find(Boolean);
      status.textContent = cachedAt ? `离线数据，更新于 ${formatDateTime(cachedAt)}` : "";
      const seen = new Set();
      const sections = queries
        .map((q, i) => {
          const rows = itemsOf(results[i].data)
            .filter((hz) => (!q.keep || q.keep(hz)) && !seen.has(hz.id) && seen.add(hz.id))
            .filter((hz) => !["closed", "rejected"].includes(code(hz.state)));
          return { ...q, rows: reconcileHazards(rows, entries) };
        })
        .filter((section) => section.rows.length);
      list.replaceChildren(
        ...(sections.length
          ? sections.map((section) =>
              h(`section.card.hazard-group`, { dataset: { group: section.key } }, h("h2", {}, section.title), section.rows.map(hazardRow)),
            )
          : [emptyState("目前没有需要您处理的隐患。")]),
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
                n.hazard_id ? "a.notice" : "div.notice",
                {
                  href: n.hazard_id ? `#/hazard/${n.hazard_id}` : undefined,
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

  container.replaceChildren(screenTitle("我的隐患"), status, notes, list);
  refresh();
  window.addEventListener("anxun:synced", refresh);
  window.addEventListener("anxun:refresh", refresh);
  return () => {
    alive = false;
    window.removeEventListener("anxun:synced", refresh);
    window.removeEventListener("anxun:refresh", refresh);
  };
}
