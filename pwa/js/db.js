// The only module that touches IndexedDB: the schema, its versioned upgrades, named async functions.

const DB_NAME = "anxun";
const DB_VERSION = 1;

// Each entry upgrades from the version before it; never edit a released step, add a new one.
const UPGRADES = [
  (db) => {
    db.createObjectStore("meta");
    db.createObjectStore("drafts", { keyPath: "id" });
    const outbox = db.createObjectStore("outbox", { keyPath: "id" });
    outbox.createIndex("seq", "seq");
    const media = db.createObjectStore("media", { keyPath: "id" });
    media.createIndex("owner", "owner");
  },
];

let opening = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = (event) => {
        for (let v = event.oldVersion; v < DB_VERSION; v += 1) UPGRADES[v](request.result);
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another tab opened a newer schema: let it upgrade, reopen on next use.
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      request.onerror = () => {
        opening = null;
        reject(request.error);
      };
      request.onblocked = () => reject(new Error("数据库被其他页面占用，请关闭其他安巡页面后重试。"));
    });
  }
  return opening;
}

async function run(storeName, mode, work) {
  const db = await open();
  const tx = db.transaction(storeName, mode);
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("事务已中止"));
  });
  const result = await work(tx.objectStore(storeName));
  await done;
  return result;
}

const get = (store, key) => run(store, "readonly", (s) => promised(s.get(key)));
const put = (store, value, key) =>
  run(store, "readwrite", (s) => promised(key === undefined ? s.put(value) : s.put(value, key)));
const remove = (store, key) => run(store, "readwrite", (s) => promised(s.delete(key)));
const all = (store) => run(store, "readonly", (s) => promised(s.getAll()));

// meta: session, device id, chosen enterprise, last seen app version …
export const getMeta = (key) => get("meta", key);
export const setMeta = (key, value) => put("meta", value, key);
export const deleteMeta = (key) => remove("meta", key);
// The meta keys that start with `prefix` (such as "checklist-version:").
export const listMetaKeys = (prefix) =>
  run("meta", "readonly", (s) => promised(s.getAllKeys(IDBKeyRange.bound(prefix, `${prefix}\uffff`))));

// meta "list:<name>": reference lists from the server (incident categories …), kept so forms
// still work offline after one online visit.
export const getReferenceList = (name) => get("meta", `list:${name}`);
export const putReferenceList = (name, items) => put("meta", items, `list:${name}`);

// drafts: inspections being filled in, keyed by the inspection's client UUID.
export const getDraft = (id) => get("drafts", id);
export const putDraft = (draft) => put("drafts", draft);
export const deleteDraft = (id) => remove("drafts", id);
export const listDrafts = () => all("drafts");

// outbox: queued writes keyed by client UUID, replayed in `seq` order.
export const getOutboxEntry = (id) => get("outbox", id);
export const putOutboxEntry = (entry) => put("outbox", entry);
export const deleteOutboxEntry = (id) => remove("outbox", id);
export const listOutbox = () =>
  run("outbox", "readonly", (s) => promised(s.index("seq").getAll()));

// media: photos (JPEG blobs) keyed by client UUID; `owner` is the draft or outbox entry id.
export const getMedia = (id) => get("media", id);
export const putMedia = (media) => put("media", media);
export const deleteMedia = (id) => remove("media", id);
export const listMediaByOwner = (owner) =>
  run("media", "readonly", (s) => promised(s.index("owner").getAll(owner)));

export async function deleteMediaOfOwner(owner) {
  await run("media", "readwrite", async (s) => {
    const keys = await promised(s.index("owner").getAllKeys(owner));
    await Promise.all(keys.map((key) => promised(s.delete(key))));
  });
}

// Logging out wipes everything but the device id (only after the user was warned).
export async function clearUserData() {
  const deviceId = await getMeta("deviceId");
  const db = await open();
  const names = ["meta", "drafts", "outbox", "media"];
  const tx = db.transaction(names, "readwrite");
  for (const name of names) tx.objectStore(name).clear();
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  if (deviceId) await setMeta("deviceId", deviceId);
}
