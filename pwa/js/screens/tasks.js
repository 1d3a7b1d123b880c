// 今日任务: today's and overdue task occurrences grouped by place; pull down (or tap) to refresh.
import * as api from "../api.js";
import * as db from "../db.js";
import { fetchChecklist, fetchChecklistVersion, forgetChecklistVersions, startFromTask } from "../inspection.js";
import { requestCard } from "./evidence.js";
import { currentEnterprise, navigate } from "../session.js";
import { groupByPlace, reconcileTasks } from "../sync.js";
import { codeOf, emptyState, fill, formatDateTime, formatTime, h, labelOf, loading, problemText, screenTitle, toast } from "../ui.js";

const LOCAL_LABELS = {
  draft: ["进行中", "badge.warn"],
  queued: ["已完成 · 待同步", "badge.info"],
  synced: ["已完成", "badge.ok"],
};

function itemsOf(data) {
  return Array.isArray(data) ? data : data?.items || [];
}

function dueText(task, now) {
  const end = Date.parse(task.due_end);
  if (!Number.isFinite(end)) return "";
  if (end < now) return `已超期（应于 ${formatDateTime(task.due_end)} 前完成）`;
  const sameDay = new Date(end).toDateString() === new Date(now).toDateString();
  return sameDay ? `今天 ${formatTime(task.due_end)} 前完成` : `${formatDateTime(task.due_end)} 前完成`;
}

// Task ids being opened: a second tap (gloves, a slow phone) while the first is still starting the
// draft must not start a second draft of the same task.
const opening = new Set();

export async function openTask(task, { qrScanned = false } = {}) {
  if (opening.has(task.id)) return;
  opening.add(task.id);
  try {
    const started = await startFromTask(task, { qrScanned });
    if (!started.ok) {
      toast(started.message, { kind: "error", timeout: 6000 });
      return;
    }
    navigate(`#/inspect/${started.id}`);
  } finally {
    opening.delete(task.id);
  }
}

const DONE_STATES = new Set(["done", "late"]);

// onOpen: what a tap does (the place screen passes its own, which records the QR scan).
export function taskRow(task, now = Date.now(), { onOpen = () => openTask(task) } = {}) {
  const state = codeOf(task.state);
  const done = DONE_STATES.has(state) || Boolean(task.inspection_id);
  const overdue = !done && Date.parse(task.due_end) < now;
  const [localText, localClass] = LOCAL_LABELS[task.local] || [];
  let badge;
  if (done) badge = h("span.badge.ok", {}, labelOf(task.state, { done: "已完成" }));
  else if (localText) badge = h(`span.${localClass}`, {}, localText);
  else if (overdue) badge = h("span.badge.bad", {}, "已超期");
  else badge = h("span.badge", {}, state === "upcoming" ? "未开始" : "待检查");
  const count = task.item_ids?.length ? `${task.item_ids.length} 项` : task.profile ? "简版" : "全部检查项";
  return h(
    "button.task",
    {
      type: "button",
      disabled: done || task.local === "queued" || task.local === "synced",
      onclick: onOpen,
      "data-task-id": String(task.id),
    },
    h("span.task-main", {}, h("strong", {}, task.plan_title || "排查任务"), badge),
    h("span.muted", {}, `${labelOf(task.inspection_type)} · ${count}`),
    h(`span.due${overdue ? ".late" : ""}`, {}, done ? `完成于 ${formatDateTime(task.done_at)}` : dueText(task, now)),
  );
}

export function mount(container) {
  let alive = true;
  const status = h("p.muted.small", { role: "status" });
  const list = h("div.task-list", {}, loading());
  // 远程核查 waiting for my answer, above the tasks, with a countdown.
  const evidence = h("section.card.evidence-list", { hidden: true, "data-testid": "evidence-list" });
  let requests = [];
  const enterprise = currentEnterprise();
  const refreshButton = h("button.small.secondary", { type: "button", onclick: () => refresh() }, "刷新");
  const pull = h("div.pull-hint", { "aria-hidden": "true" }, "下拉刷新");

  let loaded = false;
  let running = null;
  let again = false;

  // One refresh at a time; a request made meanwhile runs once more afterwards.
  function refresh() {
    if (running) {
      again = true;
      return running;
    }
    running = load().finally(() => {
      running = null;
      if (again && alive) {
        again = false;
        refresh();
      }
    });
    return running;
  }

  async function load() {
    refreshButton.disabled = true;
    status.textContent = "正在更新…";
    const base = `tasks?assignee=me&enterprise_id=${enterprise.id}`;
    // One after the other: each call may create today's task rows on the server.
    const asked = await api.request(`evidence-requests?to_answer=true&enterprise_id=${enterprise.id}`);
    if (asked.ok) requests = itemsOf(asked.data);
    const today = await api.request(`${base}&due=today`);
    const overdue = today.ok ? await api.request(`${base}&due=overdue`) : today;
    if (!alive) return;
    refreshButton.disabled = false;
    const [entries, drafts] = await Promise.all([db.listOutbox(), db.listDrafts()]);
    renderEvidence(entries);
    if (!today.ok) {
      // Keep what is on screen; say why it could not be updated.
      status.textContent = `无法更新任务：${problemText(today)}`;
      if (!loaded) list.replaceChildren(renderDrafts(drafts) || emptyState("暂时无法显示任务，请稍后下拉刷新。"));
      return;
    }
    const seen = new Set();
    const tasks = [...itemsOf(overdue.ok ? overdue.data : []), ...itemsOf(today.data)].filter(
      (t) => !seen.has(t.id) && seen.add(t.id),
    );
    const cachedAt = today.cachedAt || overdue.cachedAt;
    status.textContent = cachedAt ? `离线数据，更新于 ${formatDateTime(cachedAt)}` : `更新于 ${formatTime(new Date())}`;
    loaded = true;
    render(reconcileTasks(tasks, entries, drafts), drafts);
    if (!cachedAt) prefetchChecklists(tasks, { complete: overdue.ok });
  }

  // Fetch each checklist once while online and keep it on the device for offline use (in
  // IndexedDB as well as the worker's cache, so it is there even without a service worker): the
  // latest version of each code (for ad-hoc checks), and the version each task names when it is
  // another one. With the whole list at hand, versions no task names any more are dropped.
  async function prefetchChecklists(tasks, { complete }) {
    const byCode = new Map();
    for (const t of tasks) {
      if (!t.checklist_code) continue;
      if (!byCode.has(t.checklist_code)) byCode.set(t.checklist_code, new Set());
      if (t.checklist_version) byCode.get(t.checklist_code).add(t.checklist_version);
    }
    const kept = new Set();
    await Promise.all(
      [...byCode].map(async ([code, hashes]) => {
        const latest = await fetchChecklist(code, enterprise.id);
        if (latest.ok) kept.add(latest.data.version_hash);
        for (const hash of hashes) {
          kept.add(hash);
          if (!latest.ok || latest.data.version_hash !== hash) await fetchChecklistVersion(code, hash, enterprise.id);
        }
      }),
    );
    if (complete) await forgetChecklistVersions(kept);
  }

  function renderEvidence(entries) {
    const queued = new Set(
      entries.filter((e) => e.kind === "evidence_answer").map((e) => e.payload.request_id),
    );
    const now = Date.now();
    const shown = requests
      .map((r) => (queued.has(r.id) ? { ...r, local: "queued" } : r))
      .sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at));
    evidence.hidden = !shown.length;
    evidence.replaceChildren(h("h2", {}, "远程核查"), ...shown.map((r) => requestCard(r, now)));
  }
  // The countdowns run every minute while the list is on screen.
  const ticker = setInterval(() => db.listOutbox().then(renderEvidence), 60000);

  function renderDrafts(drafts) {
    const free = drafts.filter((d) => d.task_occurrence_id == null);
    if (!free.length) return null;
    return h(
      "section.card",
      {},
      h("h2", {}, "未完成的检查"),
      free.map((d) =>
        h(
          "button.task",
          { type: "button", onclick: () => navigate(`#/inspect/${d.id}`) },
          h("span.task-main", {}, h("strong", {}, d.plan_title || d.checklist.title), h("span.badge.warn", {}, "进行中")),
          h("span.muted", {}, `${d.place?.name || ""} · 开始于 ${formatDateTime(d.started_at)}`),
        ),
      ),
    );
  }

  function render(tasks, drafts) {
    const now = Date.now();
    const groups = groupByPlace(tasks);
    fill(
      list,
      renderDrafts(drafts),
      groups.length
        ? groups.map((g) =>
            h(
              "section.card.place-group",
              {},
              h(
                "h2",
                {},
                g.place?.name || "未指定检查点",
                g.place?.qr_token ? h("span.code", {}, g.place.qr_token) : "",
              ),
              g.tasks.map((t) => taskRow(t, now)),
            ),
          )
        : emptyState("今天没有需要完成的排查任务。可扫描检查点二维码开始检查。"),
    );
  }

  // Pull to refresh: drag down from the top of the page.
  let startY = null;
  const onTouchStart = (e) => {
    startY = window.scrollY === 0 ? e.touches[0].clientY : null;
  };
  const onTouchMove = (e) => {
    if (startY == null) return;
    const distance = e.touches[0].clientY - startY;
    pull.classList.toggle("show", distance > 20);
    pull.textContent = distance > 80 ? "松开刷新" : "下拉刷新";
  };
  const onTouchEnd = (e) => {
    if (startY == null) return;
    const distance = e.changedTouches[0].clientY - startY;
    pull.classList.remove("show");
    startY = null;
    if (distance > 80) refresh();
  };
  container.addEventListener("touchstart", onTouchStart, { passive: true });
  container.addEventListener("touchmove", onTouchMove, { passive: true });
  container.addEventListener("touchend", onTouchEnd);
  const onOutbox = () => refresh();
  window.addEventListener("anxun:synced", onOutbox);
  window.addEventListener("anxun:refresh", onOutbox);

  container.replaceChildren(
    pull,
    screenTitle("今日任务", refreshButton),
    evidence,
    h(
      "a.button.scan-cta",
      { href: "#/scan" },
      "扫描检查点二维码",
    ),
    status,
    list,
  );
  refresh();
  return () => {
    alive = false;
    clearInterval(ticker);
    window.removeEventListener("anxun:synced", onOutbox);
    window.removeEventListener("anxun:refresh", onOutbox);
  };
}
