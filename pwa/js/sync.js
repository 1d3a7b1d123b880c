// Replays the outbox against the server (photos first, then the record) and reconciles server
// lists with what the device still holds, through pure functions.
import * as api from "./api.js";
import * as db from "./db.js";
import * as outbox from "./outbox.js";
import { problemText } from "./ui.js";

// While the server can be reached a record never waits longer than this between attempts.
const MAX_DELAY_MS = 30 * 1000;
// A server asking to slow down (429/503 with Retry-After) is obeyed up to this long.
const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;
// Photos upload this many at a time; records go to POST /sync this many per request.
export const UPLOAD_LIMIT = 3;
export const BATCH_SIZE = 20;
// The kinds POST /api/v1/sync accepts; the others keep their own endpoints.
const BATCH_KINDS = new Set(["inspection", "transition"]);
// Permit steps at the place that work offline, and where each is sent (idempotent on its UUID).
const PERMIT_KINDS = { permit_measure: "measures", permit_reading: "readings" };
let running = null;
let timer = null;
let blockedByLogin = false;

// Pure: 1 s, 2 s, 4 s … capped at thirty seconds.
export function backoffDelay(attempts) {
  return Math.min(1000 * 2 ** Math.max(0, attempts), MAX_DELAY_MS);
}

// Pure: records with the same key are sent in queue order, one after the other: the transitions
// of one hazard, an incident and its follow-up reports. An inspection carries its own photos and
// depends on nothing queued before it.
export function dependencyKey(entry) {
  if (entry.kind === "transition") return `hazard:${entry.payload.hazard_id}`;
  if (entry.kind === "incident") return `incident:${entry.id}`;
  if (entry.kind === "incident_report") return `incident:${entry.payload.incident_id}`;
  // A permit's measures and readings queued at the place go in the order they were made.
  if (PERMIT_KINDS[entry.kind]) return `permit:${entry.payload.permit_id}`;
  return `${entry.kind}:${entry.id}`;
}

// Pure: the first unsynced record of each dependency key, in queue order. Only these may be sent;
// the rest wait behind them (a refused one holds back only the records that depend on it).
export function heads(entries) {
  const seen = new Set();
  const first = [];
  for (const entry of entries) {
    if (entry.state === "synced") continue;
    const key = dependencyKey(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    first.push(entry);
  }
  return first;
}

// Pure: the records to send now, in queue order. wake "all" (user's 立即同步, reconnecting,
// opening the app) ignores every retry time; wake "network" (the server answered again) only
// those of records that failed for want of an answer.
export function dueEntries(entries, now, wake = null) {
  return heads(entries).filter(
    (e) =>
      e.state === "pending" &&
      (wake === "all" ||
        (wake === "network" && e.last_status === 0) ||
        (e.next_attempt_at || 0) <= now),
  );
}

// Pure: when the next pending record falls due, or null when none waits.
export function nextDueAt(entries) {
  const times = heads(entries)
    .filter((e) => e.state === "pending")
    .map((e) => e.next_attempt_at || 0);
  return times.length ? Math.min(...times) : null;
}

// Pure: the due records split into those sent through POST /sync, in requests of at most `size`,
// and the rest (incidents, 随手拍, evidence answers), sent one by one. Queue order is kept.
export function planRound(due, size = BATCH_SIZE) {
  const batchable = due.filter((e) => BATCH_KINDS.has(e.kind));
  const batches = [];
  for (let i = 0; i < batchable.length; i += size) batches.push(batchable.slice(i, i + size));
  return { batches, singles: due.filter((e) => !BATCH_KINDS.has(e.kind)) };
}

// Request fields an older version of the app queued under the names the API used then
// (docs/api.md, "Bodies and names").
const LEGACY_KEYS = {
  transition: { after_photos: "after_media_ids", governance_plan: "governance_plan_id" },
  hazard_report: { photo_ids: "media_ids" },
  permit_measure: { photo_ids: "media_ids" },
};

// Pure: a queued record's payload under the API's current names, so a record queued before an
// upgrade of the app is still sent after it. The stored record is left as it was.
export function upgradeLegacyPayload(kind, payload) {
  const renames = LEGACY_KEYS[kind] || {};
  const upgraded = {};
  for (const [key, value] of Object.entries(payload)) upgraded[renames[key] || key] = value;
  if (kind === "inspection" && Array.isArray(payload.answers)) {
    upgraded.answers = payload.answers.map(({ media, ...answer }) =>
      media === undefined || "media_ids" in answer ? answer : { ...answer, media_ids: media },
    );
  }
  return upgraded;
}

// Pure: one record as an item of POST /sync, its body what the single endpoint would get.
export function syncItem(entry, sentAt) {
  const payload = upgradeLegacyPayload(entry.kind, entry.payload);
  if (entry.kind === "inspection") {
    return { kind: "inspection", id: entry.id, body: { ...payload, sent_at: sentAt } };
  }
  const { hazard_id: hazardId, ...body } = payload;
  return { kind: "transition", id: entry.id, hazard_id: hazardId, body };
}

// Pure: each record's answer inside a /sync response, as the single request would have resolved
// ({ok, status, data} | {ok: false, status, problem}). An item the server did not answer (a
// shorter or reordered list) got no answer: status 0, retried without growing its backoff.
export function itemResults(entries, response) {
  const results = response?.results || [];
  return entries.map((entry, index) => {
    const found = results.find((r) => r.index === index && (r.id == null || r.id === entry.id));
    if (!found) {
      return {
        ok: false,
        status: 0,
        problem: { title: "服务器未答复", detail: "服务器未答复这条记录，稍后将自动重试。" },
      };
    }
    if (found.status >= 200 && found.status < 300) return { ok: true, status: found.status, data: found.body };
    return {
      ok: false,
      status: found.status,
      problem: found.problem || { title: `服务器返回 ${found.status}`, detail: "" },
    };
  });
}

// Runs worker(item) for every item, at most `limit` at a time; resolves to the results in order.
export async function mapLimit(items, limit, worker) {
  const results = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await worker(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
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
  const payload = upgradeLegacyPayload(entry.kind, entry.payload);
  if (entry.kind === "inspection") {
    return api.request("inspections", {
      method: "POST",
      json: { ...payload, sent_at: new Date().toISOString() },
    });
  }
  if (entry.kind === "incident") return api.request("incidents", { method: "POST", json: payload });
  // 随手拍: the hazard's id is the client UUID; a replay answers the same hazard (200).
  if (entry.kind === "hazard_report") return api.request("hazards", { method: "POST", json: payload });
  if (entry.kind === "evidence_answer") {
    const { request_id: requestId, ...answer } = payload;
    return api.request(`evidence-requests/${requestId}/answer`, {
      method: "POST",
      json: { ...answer, sent_at: new Date().toISOString() },
    });
  }
  if (entry.kind === "incident_report") {
    const { incident_id: incidentId, ...report } = payload;
    return api.request(`incidents/${incidentId}/reports`, { method: "POST", json: report });
  }
  if (PERMIT_KINDS[entry.kind]) {
    const { permit_id: permitId, ...step } = payload;
    return api.request(`permits/${permitId}/${PERMIT_KINDS[entry.kind]}`, { method: "POST", json: step });
  }
  const { hazard_id: hazardId, ...body } = payload;
  return api.request(`hazards/${hazardId}/transitions`, { method: "POST", json: body });
}

function receiptOf(entry, result) {
  const data = result.data || {};
  // An inspection: what it raised, and the plausibility flags the regulator will see.
  if (data.receipt) return { ...data.receipt, hazards: (data.hazards || []).length, flags: data.flags || [] };
  return {
    id: entry.id,
    // An evidence answer comes back inside its request, whose created_at is the request's.
    received_at:
      data.received_at || data.answer?.received_at || data.created_at || data.reported_at || new Date().toISOString(),
    state: data.state ?? data.hazard?.state ?? null,
  };
}

// Every photo of the record on the server: {ok: true} or the failed upload's result.
async function uploadAll(entry) {
  for (const mediaId of entry.media) {
    const upload = await uploadMedia(entry, mediaId);
    if (!upload.ok) return upload;
  }
  return { ok: true };
}

const unreachable = { type: "/problems/network", title: "网络不可用", detail: "当前无法连接服务器，稍后将自动重试。" };

const tooManyRounds = {
  status: 409,
  retryable: true,
  problem: { detail: "照片多次上传后服务器仍未收到，稍后将自动重试。" },
};

// What the server answered about one record (on its own or inside a batch): "synced", "again"
// (photos it still lacks are marked for upload) or the outcome of finish().
async function settle(entry, result, from = Date.now()) {
  if (result.ok) {
    await outbox.markSynced(entry.id, receiptOf(entry, result));
    window.dispatchEvent(new CustomEvent("anxun:synced", { detail: entry }));
    return "synced";
  }
  if (result.status === 409 && result.problem?.type === "/problems/missing-media") {
    await markMediaMissing(result.problem.missing_media || []);
    return "again";
  }
  return finish(entry, result, from);
}

// Outcome of one attempt: "synced", or that of finish().
async function process(entry) {
  await outbox.markSyncing(entry.id);
  for (let round = 0; round < 3; round += 1) {
    const upload = await uploadAll(entry);
    if (!upload.ok) return finish(entry, upload);
    const outcome = await settle(entry, await send(entry));
    if (outcome !== "again") return outcome;
  }
  return finish(entry, tooManyRounds);
}

// A request refused as a whole for a reason that is not the records' (an older server without
// /sync, a malformed batch): each record goes on its own, so each gets its own answer.
const wholeBatchRefused = (result) => !result.ok && result.status !== 401 && !api.isRetryable(result) &&
  result.problem?.type !== "/problems/password-change-required";

// Outcomes of a batch of records (all of kinds /sync accepts, no two with the same dependency
// key): their photos upload a few at a time, then the records that have them all go in one
// POST /sync; each record then takes its own answer, so one refusal or failure holds back no other.
async function processBatch(entries) {
  const outcomes = [];
  for (const entry of entries) await outbox.markSyncing(entry.id);
  let pending = entries;
  let unansweredUploads = 0;
  for (let round = 0; round < 3 && pending.length; round += 1) {
    const uploads = await mapLimit(pending, UPLOAD_LIMIT, async (entry) => {
      // Every lane's last upload got no answer: the server is out of reach, stop uploading.
      if (unansweredUploads >= UPLOAD_LIMIT) return { ok: false, status: 0, problem: unreachable };
      const upload = await uploadAll(entry);
      unansweredUploads = upload.status === 0 ? unansweredUploads + 1 : 0;
      return upload;
    });
    const ready = [];
    const uploadedAt = Date.now();
    for (const [index, entry] of pending.entries()) {
      if (uploads[index].ok) ready.push(entry);
      else outcomes.push(await finish(entry, uploads[index], uploadedAt));
    }
    pending = [];
    if (!ready.length) break;
    const sentAt = new Date().toISOString();
    const response = await api.request("sync", {
      method: "POST",
      json: { items: ready.map((entry) => syncItem(entry, sentAt)) },
      timeout: 60000,
    });
    if (wholeBatchRefused(response)) {
      for (const entry of ready) outcomes.push(await process(entry));
      break;
    }
    const results = response.ok ? itemResults(ready, response.data) : ready.map(() => response);
    // The records of one answer that must wait are due again together, and go in one batch.
    const answeredAt = Date.now();
    for (const [index, entry] of ready.entries()) {
      const outcome = await settle(entry, results[index], answeredAt);
      if (outcome === "again") pending.push(entry);
      else outcomes.push(outcome);
    }
  }
  for (const entry of pending) outcomes.push(await finish(entry, tooManyRounds));
  return outcomes;
}

// Outcome of a failed attempt: "login", "unanswered", "retry" or "refused"; its retry time counts
// from `from`.
async function finish(entry, result, from = Date.now()) {
  if (result.status === 401) {
    await outbox.markRetry(entry.id, "登录已过期，请重新登录后同步。", 0, { status: 401, counts: false, from });
    return "login";
  }
  // Not the record's fault: it waits until the user has changed the password (then "anxun:login").
  if (result.problem?.type === "/problems/password-change-required") {
    await outbox.markRetry(entry.id, "请先修改密码，再同步。", 0, { status: 403, counts: false, from });
    return "login";
  }
  if (result.status === 0) {
    // No answer: the device is offline or the connection dropped. Not the record's fault, so its
    // own backoff does not grow; consecutive unanswered requests space the attempts (≤ 30 s).
    const delay = backoffDelay(api.unansweredCount() - 1);
    await outbox.markRetry(entry.id, problemText(result), delay, { status: 0, counts: false, from });
    return "unanswered";
  }
  if (api.isRetryable(result)) {
    const attempts = entry.attempts || 0;
    const delay = result.retryAfter
      ? Math.min(result.retryAfter * 1000, MAX_RETRY_AFTER_MS)
      : backoffDelay(attempts);
    await outbox.markRetry(entry.id, problemText(result), delay, { status: result.status, from });
    return "retry";
  }
  await outbox.markFailed(entry.id, problemText(result), result.status);
  return "refused";
}

// Sends every due record; a record whose predecessor synced in this run is sent in the same run.
// The due records never share a dependency key, so those /sync accepts go in batches (photos a few
// at a time first) and the others one by one.
async function runOnce(wake) {
  const tried = new Set();
  let unansweredInARow = 0;
  // false: stop the run (login needed, or two requests in a row without an answer).
  const note = (outcome) => {
    if (outcome === "login") {
      blockedByLogin = true;
      return false;
    }
    // One dropped request need not stop the others; two in a row mean the server is out of reach.
    unansweredInARow = outcome === "unanswered" ? unansweredInARow + 1 : 0;
    return unansweredInARow < 2;
  };
  // Offline, an attempt cannot succeed: wait for the "online" event instead of counting it.
  const canSend = () => navigator.onLine && api.currentSession();
  for (;;) {
    const due = dueEntries(await outbox.list(), Date.now(), wake).filter((e) => !tried.has(e.id));
    if (!due.length) return;
    const { batches, singles } = planRound(due);
    for (const batch of batches) {
      if (!canSend()) return;
      for (const entry of batch) tried.add(entry.id);
      const outcomes = await processBatch(batch);
      // A batch that got no answer at all counts as one unanswered request.
      if (outcomes.length && outcomes.every((o) => o === "unanswered")) {
        if (!note("unanswered")) return;
      } else if (outcomes.includes("login")) {
        note("login");
        return;
      } else if (outcomes.some((o) => o !== "unanswered")) {
        note("answered");
      }
    }
    for (const entry of singles) {
      if (!canSend()) return;
      tried.add(entry.id);
      if (!note(await process(entry))) return;
    }
  }
}

function scheduleNext(entries) {
  clearTimeout(timer);
  const due = nextDueAt(entries);
  if (due === null || blockedByLogin || !navigator.onLine) return;
  timer = setTimeout(() => syncNow(), Math.max(250, due - Date.now()));
}

// Single flight inside the page; Web Locks (where present) keep two tabs from sending twice.
// force: ignore every retry time; wake "network": only those of records that got no answer.
export function syncNow({ force = false, wake = null } = {}) {
  if (running) return running;
  const work = async () => {
    await runOnce(force ? "all" : wake);
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
