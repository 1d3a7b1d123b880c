// The outbox: every write made on the device, keyed by its client UUID (set at capture), kept in
// IndexedDB until the server returns a receipt. States: pending → syncing → synced | failed; a
// failed record is one the server refused (a 4xx): it is never retried by itself, only shown with
// the server's reason until the user retries, exports or discards it.
import * as db from "./db.js";

export const STATE_LABELS = {
  pending: "待同步",
  syncing: "同步中",
  synced: "已同步",
  failed: "被拒收",
};

const KEEP_SYNCED_MS = 7 * 24 * 3600 * 1000;
const EXPORT_FORMAT = "anxun-outbox";

export function changed() {
  window.dispatchEvent(new CustomEvent("anxun:outbox"));
}

// kind: "inspection" (payload = POST /inspections body) or "transition" (hazard action).
export async function add({ id, kind, payload, media = [], label, enterpriseId }) {
  const entry = {
    id,
    kind,
    payload,
    media,
    label,
    enterprise_id: enterpriseId ?? null,
    seq: Date.now(),
    created_at: new Date().toISOString(),
    state: "pending",
    attempts: 0,
    next_attempt_at: 0,
    last_error: null,
    receipt: null,
  };
  await db.putOutboxEntry(entry);
  for (const mediaId of media) {
    const photo = await db.getMedia(mediaId);
    if (photo) await db.putMedia({ ...photo, owner: id });
  }
  changed();
  return entry;
}

export const list = () => db.listOutbox();
export const get = (id) => db.getOutboxEntry(id);

export async function unsynced() {
  return (await db.listOutbox()).filter((e) => e.state !== "synced");
}

async function update(id, patch) {
  const entry = await db.getOutboxEntry(id);
  if (!entry) return null;
  const next = { ...entry, ...patch };
  await db.putOutboxEntry(next);
  changed();
  return next;
}

export const markSyncing = (id) => update(id, { state: "syncing" });

export async function markSynced(id, receipt) {
  const entry = await update(id, {
    state: "synced",
    receipt,
    last_error: null,
    synced_at: new Date().toISOString(),
  });
  // The server holds the photos now; free the device's storage.
  await db.deleteMediaOfOwner(id);
  return entry;
}

// Waits for another attempt at `delayMs` from now. Only an answer from the server (5xx, 429 …)
// counts as an attempt: a failure while the device cannot reach the server must not lengthen the
// record's backoff. `from`: when the failure was seen (the records of one batch wait together).
export async function markRetry(id, error, delayMs, { status = null, counts = true, from = null } = {}) {
  const entry = await db.getOutboxEntry(id);
  return update(id, {
    state: "pending",
    attempts: (entry?.attempts || 0) + (counts ? 1 : 0),
    next_attempt_at: (from ?? Date.now()) + delayMs,
    last_error: error,
    last_status: status,
  });
}

// The server refused the record (a 4xx): kept with its reason, never deleted silently.
export const markFailed = (id, error, status = null) =>
  update(id, { state: "failed", last_error: error, last_status: status, refused_at: new Date().toISOString() });

export const retry = (id) =>
  update(id, { state: "pending", attempts: 0, next_attempt_at: 0, last_error: null, last_status: null });

export async function discard(id) {
  await db.deleteOutboxEntry(id);
  await db.deleteMediaOfOwner(id);
  changed();
}

// Start-up housekeeping: an app closed mid-sync left entries "syncing"; old receipts go away.
export async function recover(now = Date.now()) {
  for (const entry of await db.listOutbox()) {
    if (entry.state === "syncing") await db.putOutboxEntry({ ...entry, state: "pending" });
    else if (entry.state === "synced" && now - Date.parse(entry.synced_at) > KEEP_SYNCED_MS) {
      await db.deleteOutboxEntry(entry.id);
    }
  }
  changed();
}

function blobToDataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

// Everything not yet synced (or only the records named by `ids`), photos included, as one JSON
// document: the last-resort rescue, importable on another device.
export async function exportUnsynced(deviceId, user, ids = null) {
  const entries = (await unsynced()).filter((e) => !ids || ids.includes(e.id));
  const media = [];
  for (const entry of entries) {
    for (const photo of await db.listMediaByOwner(entry.id)) {
      const { blob, ...rest } = photo;
      media.push({ ...rest, data: await blobToDataUrl(blob) });
    }
  }
  return {
    format: EXPORT_FORMAT,
    version: 1,
    exported_at: new Date().toISOString(),
    device_id: deviceId,
    user: user ? { id: user.id, username: user.username, display_name: user.display_name } : null,
    entries: entries.map((e) => ({ ...e, state: "pending", attempts: 0, next_attempt_at: 0, last_status: null })),
    media,
  };
}

// Adds the file's entries that this device does not hold yet; returns how many were added.
export async function importDocument(doc) {
  if (doc?.format !== EXPORT_FORMAT || !Array.isArray(doc.entries)) {
    throw new Error("文件格式不正确：不是安巡导出的待同步记录。");
  }
  let added = 0;
  for (const photo of doc.media || []) {
    if (await db.getMedia(photo.id)) continue;
    const { data, ...rest } = photo;
    const blob = await (await fetch(data)).blob();
    await db.putMedia({ ...rest, blob, uploaded: false });
  }
  for (const entry of doc.entries) {
    if (await db.getOutboxEntry(entry.id)) continue;
    await db.putOutboxEntry({ ...entry, state: "pending", last_error: null, receipt: null });
    added += 1;
  }
  changed();
  return added;
}
