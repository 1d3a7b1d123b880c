// Start-up, the hash router, the sync bar and the service worker registration.
import * as api from "./api.js";
import * as db from "./db.js";
import * as outbox from "./outbox.js";
import { currentEnterprise, navigate, roleCodes } from "./session.js";
import { isBlockedByLogin, loginRestored, syncNow } from "./sync.js";
import { coalesced, h, toast, uuid } from "./ui.js";

const SCREENS = {
  login: () => import("./screens/login.js"),
  choose: () => import("./screens/login.js"),
  tasks: () => import("./screens/tasks.js"),
  evidence: () => import("./screens/evidence.js"),
  scan: () => import("./screens/scan.js"),
  place: () => import("./screens/place.js"),
  inspect: () => import("./screens/inspect.js"),
  hazards: () => import("./screens/hazards.js"),
  hazard: () => import("./screens/hazard.js"),
  report: () => import("./screens/report.js"),
  records: () => import("./screens/records.js"),
  incident: () => import("./screens/incident.js"),
  orders: () => import("./screens/orders.js"),
  reads: () => import("./screens/reads.js"),
  standards: () => import("./screens/standards.js"),
  settings: () => import("./screens/settings.js"),
  password: () => import("./screens/password.js"),
  permits: () => import("./screens/permits.js"),
  commitment: () => import("./screens/commitment.js"),
};
// [screen, label, roles that see the tab (none: everyone)]. A phone has room for about seven
// thumb-sized tabs; the auditors' read log is reached from 设置.
const MANAGERS = ["head", "safety_officer"];
const TABS = [
  ["tasks", "任务"],
  ["scan", "扫码"],
  ["hazards", "隐患"],
  ["records", "记录"],
  ["permits", "作业票"],
  ["incident", "事故", MANAGERS],
  ["orders", "指令", MANAGERS],
  ["settings", "设置"],
];
const TAB_OF = { place: "scan", inspect: "tasks", evidence: "tasks", hazard: "hazards", report: "hazards", standards: "hazards", reads: "settings", password: "settings", commitment: "settings" };

let unmount = null;
let routeToken = 0;

// Pure: "#/inspect/abc?highlight=1" → {name: "inspect", id: "abc", query}
export function parseHash(hash) {
  const [path, search = ""] = hash.replace(/^#\/?/, "").split("?");
  const [name = "", id = null] = path.split("/").map(decodeURIComponent);
  return { name: name || "tasks", id, query: new URLSearchParams(search) };
}

async function route() {
  let target = parseHash(location.hash);
  const session = api.currentSession();
  if (!session) target = { name: "login", id: null, query: new URLSearchParams() };
  else if (session.must_change_password) target = { name: "password", id: null, query: new URLSearchParams() };
  else if (!session.enterprise_id) target = { name: "choose", id: null, query: new URLSearchParams() };
  else if (target.name === "p" && target.id) {
    // A QR label opened by the phone's own camera app: …/#/p/<token> counts as scanned.
    target = { name: "place", id: target.id, query: new URLSearchParams("qr=1") };
  } else if (!SCREENS[target.name] || target.name === "login") target = { name: "tasks", id: null, query: new URLSearchParams() };
  const token = ++routeToken;
  const module = await SCREENS[target.name]();
  if (token !== routeToken) return;
  unmount?.();
  const view = document.getElementById("view");
  view.replaceChildren();
  unmount = module.mount(view, { ...target, choose: target.name === "choose" }) || null;
  const tab = TAB_OF[target.name] || target.name;
  const nav = document.getElementById("tabs");
  nav.hidden = !session?.enterprise_id || Boolean(session.must_change_password);
  const roles = roleCodes();
  for (const link of nav.querySelectorAll("a")) {
    const wanted = TABS.find(([name]) => name === link.dataset.tab)?.[2];
    link.hidden = Boolean(wanted) && !wanted.some((r) => roles.includes(r));
    if (link.dataset.tab === tab) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.getElementById("org").textContent = currentEnterprise()?.name || "";
  window.scrollTo(0, 0);
}

// The 隐患 tab's badge: how many hazards wait on me (the 隐患 screen reports it when it loads).
function showHazardBadge(count) {
  const link = document.querySelector('#tabs a[data-tab="hazards"]');
  if (!link) return;
  link.querySelector(".badge")?.remove();
  if (count) link.append(h("span.badge.count", { "aria-label": `${count} 条隐患待我处理` }, String(count)));
}

async function refreshHazardBadge() {
  const session = api.currentSession();
  const enterprise = currentEnterprise();
  if (!session?.enterprise_id || !enterprise || session.must_change_password) return;
  const { waitingCount } = await import("./hazard_queues.js");
  const count = await waitingCount(roleCodes(), enterprise.id, session.user?.id);
  if (count !== null) showHazardBadge(count);
}

async function renderSyncBar() {
  const bar = document.getElementById("syncbar");
  const entries = await outbox.list().catch(() => []);
  const waiting = entries.filter((e) => e.state === "pending" || e.state === "syncing");
  const failed = entries.filter((e) => e.state === "failed").length;
  const syncing = entries.some((e) => e.state === "syncing");
  let text = "";
  let kind = "";
  const refused = failed ? ` · ${failed} 条被拒收` : "";
  if (syncing) [text, kind] = [`同步中… 剩余 ${waiting.length} 条${refused}`, "busy"];
  else if (waiting.length && isBlockedByLogin()) [text, kind] = [`${waiting.length} 条待同步 · 请重新登录`, "warn"];
  else if (waiting.length) [text, kind] = [`${waiting.length} 条待同步${refused}`, failed ? "bad" : "warn"];
  else if (failed) [text, kind] = [`${failed} 条被服务器拒收，请查看`, "bad"];
  bar.hidden = !text;
  bar.className = `syncbar ${kind}`;
  bar.textContent = text;
  document.getElementById("offline").hidden = navigator.onLine;
}

async function askWorkerVersion() {
  const worker = navigator.serviceWorker?.controller;
  if (!worker) return null;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), 2000);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data?.version || null);
    };
    worker.postMessage({ type: "version" }, [channel.port2]);
  });
}

// A new version installs in the background and takes over on the next open; never a reload.
async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  // The first worker takes control after the first lists were fetched: fetch them again so the
  // worker keeps a copy for offline use.
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    window.dispatchEvent(new CustomEvent("anxun:refresh"));
    noteVersion();
  });
  try {
    const registration = await navigator.serviceWorker.register("/sw.js");
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) {
          toast("新版本已下载，下次打开应用时启用。", { timeout: 6000 });
        }
      });
    });
  } catch (error) {
    console.warn("service worker not registered", error);
    return;
  }
  await noteVersion();
}

// The version of the worker in control; a change since the last open is announced once.
async function noteVersion() {
  const version = await askWorkerVersion();
  if (!version) return;
  document.documentElement.dataset.version = version;
  const previous = await db.getMeta("appVersion");
  if (previous && previous !== version) toast("应用已更新到新版本。", { kind: "ok", timeout: 6000 });
  if (previous !== version) await db.setMeta("appVersion", version);
}

async function logout() {
  await api.logout();
  await db.clearUserData();
  if (globalThis.caches) await caches.delete("anxun-data");
  api.forgetSession();
  outbox.changed();
  navigate("#/login");
}

async function start() {
  if (!(await db.getMeta("deviceId"))) await db.setMeta("deviceId", uuid());
  await api.loadSession();
  await outbox.recover();
  document.getElementById("tabs").replaceChildren(
    ...TABS.map(([name, text]) => h("a", { href: `#/${name}`, dataset: { tab: name } }, text)),
  );
  window.addEventListener("hashchange", route);
  window.addEventListener("anxun:outbox", coalesced(renderSyncBar));
  window.addEventListener("online", () => {
    renderSyncBar();
    syncNow({ force: true });
  });
  window.addEventListener("offline", renderSyncBar);
  window.addEventListener("anxun:logout", logout);
  window.addEventListener("anxun:hazards-waiting", (event) => showHazardBadge(event.detail.count));
  // A batch syncs many records at once: one badge refresh for the lot, not one request each.
  const refreshBadgeOnce = coalesced(refreshHazardBadge);
  window.addEventListener("anxun:synced", () => location.hash.startsWith("#/hazards") || refreshBadgeOnce());
  window.addEventListener("anxun:login", () => {
    loginRestored();
    refreshHazardBadge();
    syncNow({ force: true });
    navigator.storage?.persist?.().then((granted) => db.setMeta("persistAnswer", granted));
  });
  window.addEventListener("anxun:auth-expired", async () => {
    await db.deleteMeta("session");
    api.forgetSession();
    toast("登录已过期，请重新登录。本机记录不会丢失。", { kind: "error", timeout: 6000 });
    route();
  });
  // The server answered again after requests that got none: retry those records at once.
  window.addEventListener("anxun:reachable", () => api.currentSession() && syncNow({ wake: "network" }));
  // Coming back to the app (switched back to, phone unlocked) retries everything waiting.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && api.currentSession()) syncNow({ force: true });
  });
  document.getElementById("syncbar").addEventListener("click", () => navigate("#/records"));
  await route();
  renderSyncBar();
  registerWorker();
  if (api.currentSession()) {
    syncNow({ force: true });
    refreshHazardBadge();
  }
  setInterval(() => api.currentSession() && syncNow(), 60000);
}

start();
