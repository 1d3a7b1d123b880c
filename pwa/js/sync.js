// Replays the outbox against the server (photos first, then the record) and reconciles server
// lists with what the device still holds, through pure functions.
import * as api from "./api.js";
import * as db from "./db.js";
import * as outbox from "./outbox.js";
import { problemText } from "./ui.js";

const MAX_DELAY_MS = 5 * 60 * 1000;
let running = null;
let timer = null;
let blockedByLogin = false;

// Pure: 1 s, 2 s, 4 s … capped at five minutes.
export function backoffDelay(attempts) {
  return Math.min(1000 * 2 ** Math.max(0, attempts), MAX_DELAY_MS);
}

// Pure: today's tasks with what this device knows about them. A task whose inspection waits in
// the outbox is shown as done-on-device; one with an open draft as in progress.
export function reconcileTasks(tasks, entries, drafts) {
  const queued = new Map();
  for (const entry of entries) {
    const taskId = entry.kind === "inspection" ? entry.payload.task_occurrence_id : null;
    if (taskId != null) queued.set(taskId, entry);
  }
  const drafted = new Map(drafts.filter((d) => d.task_occurrence_id != null).map((d) => [d.task_occurrence_id, d]));
  return tasks.map((task) => {
    const entry = queued.get(task.id);
    let local = null;
    if (entry) local = entry.state === "synced" ? "synced" : "queued";
    else if (drafted.has(task.id)) local = "draft";
    return { ...task, local, draftId: drafted.get(task.id)?.id ?? null, entryState: entry?.state ?? null };
  });
}

// Pure: hazards with any transition still waiting on this device.
export function reconcileHazards(hazards, entries) {
  const waiting = new Map();
  for (const entry of entries) {
    if (entry.kind === "transition" && entry.state !== "synced") {
      waiting.set(entry.payload.hazard_id, entry);
    }
  }
  return hazards.map((hazard) => ({
    ...hazard,
    pendingAction: waiting.get(String(hazard.id))?.payload.action ?? null,
    pendingState: waiting.get(String(hazard.id))?.state ?? null,
  }));
}

// Pure: group tasks by place, places in order of their earliest due time.
export function groupByPlace(tasks) {
  const groups = new Map();
  for (const task of tasks) {
    const key = task.place ? `p${task.place.id}` : "none";
    if (!groups.has(key)) groups.set(key, { place: task.place || null, tasks: [] });
    groups.get(key).tasks.push(task);
  }
  const first = (g) => Math.min(...g.tasks.map((t) => Date.parse(t.due_end || t.due_start) || 0));
  for (const group of groups.values()) {
    group.tasks.sort((a, b) => Date.parse(a.due_end) - Date.parse(b.due_end));
  }
  return [...groups.values()].sort((a, b) => first(a) - first(b));
}

async function uploadMedia(entry, mediaId) {
  const photo = await db.getMedia(mediaId);
  if (!photo) {
    return { ok: false, status: 422, problem: { detail: "照片在本机丢失，无法上传。" } };
  }
  if (photo.uploaded) return { ok: true };
  const form = new FormData();
  form.append("id", photo.id);
  form.append("sha256", photo.sha256);
  if (entry.enterprise_id != null) form.append("enterprise_id", String(entry.enterprise_id));
  form.append("file", photo.blob, `${photo.id}.jpg`);
  const result = await api.request("media", { method: "POST", form, timeout: 60000 });
  if (result.ok) await db.putMedia({ ...photo, uploaded: true });
  return result;
}

async function markMediaMissing(ids) {
  for (const id of ids) {
    const photo = await db.getMedia(id);
    if (photo) await db.putMedia({ ...photo, uploaded: false });
  }
}

function send(entry) {
  if (entry.kind === "inspection") {
    return api.request("inspections", {
      method: "POST",
      json: { ...entry.payload, sent_at: new Date().toISOString() },
    });
  }
  if (entry.kind === "incident") return api.request("incidents", { method: "POST", json: entry.payload });
  if (entry.kind === "incident_report") {
    const { incident_id: incidentId, ...report } = entry.payload;
    return api.request(`incidents/${incidentId}/reports`, { method: "POST", json: report });
  }
  const { hazard_id: hazardId, ...body } = entry.payload;
  return api.request(`hazards/${hazardId}/transitions`, { method: "POST", json: body });
}

function receiptOf(entry, result) {
  const data = result.data || {};
  if (data.receipt) return { ...data.receipt, hazards: (data.hazards || []).length };
  return {
    id: entry.id,
    received_at: data.received_at || data.created_at || new Date().toISOString(),
    state: data.state ?? data.hazard?.state ?? null,
  };
}

// Outcome of one attempt: "synced", "retry", "failed" or "login".
async function process(entry) {
  await outbox.markSyncing(entry.id);
  for (let round = 0; round < 3; round += 1) {
    for (const mediaId of entry.media) {
      const upload = await uploadMedia(entry, mediaId);
      if (!upload.ok) return finish(entry, upload);
    }
    const result = await send(entry);
    if (result.ok) {
      await outbox.markSynced(entry.id, receiptOf(entry, result));
      window.dispatchEvent(new CustomEvent("anxun:synced", { detail: entry }));
      return "synced";
    }
    if (result.status === 409 && result.problem?.type === "/problems/missing-media") {
      await markMediaMissing(result.problem.missing_media || []);
      continue;
    }
    return finish(entry, result);
  }
  return finish(entry, { status: 409, problem: { detail: "照片多次上传后服务器仍未收到。" } });
}

async function finish(entry, result) {
  if (result.status === 401) {
    await outbox.markRetry(entry.id, "登录已过期，请重新登录后同步。", 0);
    return "login";
  }
  if (api.isRetryable(result)) {
    const delay = result.retryAfter ? result.retryAfter * 1000 : backoffDelay(entry.attempts || 0);
    await outbox.markRetry(entry.id, problemText(result), delay);
    return "retry";
  }
  await outbox.markFailed(entry.id, problemText(result));
  return "failed";
}

async function runOnce({ force }) {
  const now = Date.now();
  const entries = (await outbox.list()).filter((e) => e.state === "pending");
  for (const entry of entries) {
    // Strict order: a record waiting for its retry holds back the ones queued after it.
    if (!force && (entry.next_attempt_at || 0) > now) break;
    if (!api.currentSession()) return;
    const outcome = await process(entry);
    if (outcome === "login") {
      blockedByLogin = true;
      return;
    }
    // A network failure on one record means the next would fail too: wait for the backoff.
    if (outcome === "retry") break;
  }
}

function scheduleNext(entries) {
  clearTimeout(timer);
  const waiting = entries.filter((e) => e.state === "pending");
  if (!waiting.length || blockedByLogin) return;
  const due = Math.min(...waiting.map((e) => e.next_attempt_at || 0));
  timer = setTimeout(() => syncNow(), Math.max(500, due - Date.now()));
}

// Single flight inside the page; Web Locks (where present) keep two tabs from sending twice.
export function syncNow({ force = false } = {}) {
  if (running) return running;
  const work = async () => {
    await runOnce({ force });
    scheduleNext(await outbox.list());
  };
  running = (navigator.locks ? navigator.locks.request("anxun-sync", work) : work())
    .catch((error) => console.error("sync failed", error))
    .finally(() => {
      running = null;
      outbox.changed();
    });
  return running;
}

export function loginRestored() {
  blockedByLogin = false;
}

export const isBlockedByLogin = () => blockedByLogin;
