// Inspection drafts: starting one from a task, judging answers like the server does, checking a
// draft is complete and turning it into the POST /inspections payload (pure functions but start).
import * as api from "./api.js";
import * as db from "./db.js";
import { currentEnterprise } from "./session.js";
import { codeOf, uuid } from "./ui.js";

export function itemsOf(doc) {
  return doc.sections.flatMap((section) =>
    section.items.map((item) => ({ ...item, sectionTitle: section.title })),
  );
}

// Pure: the items this inspection must answer (the plan's subset, a profile, or all).
export function expectedItems(doc, { item_ids: itemIds, profile }) {
  const items = itemsOf(doc);
  if (itemIds?.length) {
    const wanted = new Set(itemIds);
    return items.filter((i) => wanted.has(i.id));
  }
  if (profile) {
    const chosen = (doc.profiles || []).find((p) => p.code === profile);
    if (chosen) {
      const wanted = new Set(chosen.items);
      return items.filter((i) => wanted.has(i.id));
    }
  }
  return items;
}

export function isOutOfRange(answerSpec, value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  const { min, max } = answerSpec;
  return (min != null && value < min) || (max != null && value > max);
}

// Pure: the effective result, as checklists/loader.judge_answer computes it on the server.
export function effectiveResult(item, answer) {
  if (!answer?.result) return null;
  if (answer.result === "na" || answer.value == null) return answer.result;
  const spec = item.answer;
  if (spec.type === "number" && isOutOfRange(spec, answer.value)) return "fail";
  if (spec.type === "choice") {
    const option = spec.options.find((o) => o.code === answer.value);
    if (option?.fails) return "fail";
  }
  return answer.result;
}

export function limitText(spec) {
  const unit = spec.unit ? ` ${spec.unit}` : "";
  if (spec.min != null && spec.max != null) return `合格范围 ${spec.min}～${spec.max}${unit}`;
  if (spec.max != null) return `合格：不超过 ${spec.max}${unit}`;
  return `合格：不低于 ${spec.min}${unit}`;
}

// Pure: what still stops the draft from being submitted, per item id.
export function draftProblems(items, answers) {
  const problems = {};
  for (const item of items) {
    const answer = answers[item.id];
    const type = item.answer.type;
    if (!answer?.result) problems[item.id] = "尚未作答";
    else if ((type === "number" || type === "choice") && answer.result !== "na" && answer.value == null) {
      problems[item.id] = type === "number" ? "请填写测量值" : "请选择结果";
    } else if (
      effectiveResult(item, answer) === "fail" &&
      item.photo_on_fail !== false &&
      !(answer.media || []).length
    ) {
      problems[item.id] = "不合格项须拍照留证";
    }
  }
  return problems;
}

export function progress(items, answers) {
  const done = items.filter((i) => answers[i.id]?.result).length;
  const failed = items.filter((i) => effectiveResult(i, answers[i.id]) === "fail").length;
  return { done, total: items.length, failed };
}

// Pure: the body of POST /api/v1/inspections (sent_at is stamped by sync at each attempt).
// The server's plausibility rules (inspections/plausibility.py), so the inspector sees before
// submitting what the regulator will see: too fast for the number of items, far from the place.
const MIN_SECONDS_PER_ITEM = 3;
const GPS_TOLERANCE_METRES = 200;

// Pure: great-circle distance in metres (haversine, mean Earth radius), as the server computes it.
export function distanceMetres(lat1, lon1, lat2, lon2) {
  const rad = (d) => (d * Math.PI) / 180;
  const dphi = rad(lat2 - lat1);
  const dlambda = rad(lon2 - lon1);
  const a = Math.sin(dphi / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dlambda / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(a));
}

// Pure: [{code, message}] worded like the server's flags.
export function plausibilityWarnings({ startedAt, finishedAt, answered, gps, placeCoordinates }) {
  const found = [];
  const seconds = (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000;
  const expected = answered * MIN_SECONDS_PER_ITEM;
  if (answered && seconds < expected) {
    found.push({
      code: "too_fast",
      message: `用时 ${Math.floor(seconds)} 秒完成 ${answered} 项检查，少于合理最短用时 ${expected} 秒。`,
    });
  }
  if (gps && placeCoordinates) {
    const metres = distanceMetres(gps.lat, gps.lon, placeCoordinates[0], placeCoordinates[1]);
    const tolerance = Math.max(GPS_TOLERANCE_METRES, 2 * (gps.accuracy || 0));
    if (metres > tolerance) {
      found.push({ code: "gps_far", message: `定位距检查点约 ${Math.round(metres)} 米，超出 ${Math.round(tolerance)} 米。` });
    }
  }
  return found;
}

export function buildPayload(draft, items, deviceId, finishedAt) {
  return {
    id: draft.id,
    enterprise_id: draft.enterprise_id,
    task_occurrence_id: draft.task_occurrence_id ?? null,
    checklist_code: draft.checklist.code,
    checklist_version: draft.checklist.version_hash,
    profile: draft.task_occurrence_id == null ? draft.profile ?? null : null,
    place_id: draft.place?.id ?? null,
    qr_scanned: Boolean(draft.qr_scanned),
    inspection_type: draft.inspection_type || "daily",
    started_at: draft.started_at,
    finished_at: finishedAt,
    gps: draft.gps || null,
    device_id: deviceId,
    answers: items.map((item) => {
      const a = draft.answers[item.id];
      const na = a.result === "na";
      return {
        item_id: item.id,
        result: a.result,
        value: na || item.answer.type === "pass_fail_na" ? null : a.value ?? null,
        note: a.note || "",
        media_ids: a.media || [],
      };
    }),
  };
}

function taskPlan(task) {
  return {
    title: task.plan_title || "排查任务",
    checklist_code: task.checklist_code,
    profile: task.profile ?? null,
    item_ids: task.item_ids ?? null,
    inspection_type: codeOf(task.inspection_type) || "daily",
  };
}

// The checklist from the server, kept on the device; offline, the kept copy answers instead.
// The latest version (what an ad-hoc check fills in) is kept under its code, and every version
// fetched is also kept under its content hash (a version never changes), for tasks that name it.
const latestKey = (enterpriseId, code) => `checklist:${enterpriseId}:${code}`;
const VERSION_PREFIX = "checklist-version:";
const versionKey = (hash) => `${VERSION_PREFIX}${hash}`;

export async function fetchChecklist(code, enterpriseId) {
  const key = latestKey(enterpriseId, code);
  const result = await api.request(`checklists/${encodeURIComponent(code)}?enterprise_id=${enterpriseId}`);
  if (result.ok) {
    await db.setMeta(key, result.data);
    await db.setMeta(versionKey(result.data.version_hash), result.data);
    return result;
  }
  const kept = await db.getMeta(key);
  return kept ? { ok: true, status: 200, data: kept } : result;
}

// One version of a checklist by its 64-character content hash (GET /checklists/<code>?version=),
// kept on the device under that hash; offline, the kept copy (or the kept latest version, when it
// is that one) answers instead.
export async function fetchChecklistVersion(code, versionHash, enterpriseId) {
  const query = `enterprise_id=${enterpriseId}&version=${encodeURIComponent(versionHash)}`;
  const result = await api.request(`checklists/${encodeURIComponent(code)}?${query}`);
  if (result.ok && result.data?.version_hash === versionHash) {
    await db.setMeta(versionKey(versionHash), result.data);
    return result;
  }
  const kept = await db.getMeta(versionKey(versionHash));
  if (kept) return { ok: true, status: 200, data: kept };
  const latest = await db.getMeta(latestKey(enterpriseId, code));
  if (latest?.version_hash === versionHash) return { ok: true, status: 200, data: latest };
  return result.ok ? { ok: false, status: 404, problem: { detail: "未找到任务指定的检查表版本" } } : result;
}

// The versions kept by hash that no task names any more (nor a kept latest version) are dropped:
// a started draft carries its own copy of its checklist.
export async function forgetChecklistVersions(wanted) {
  const keys = await db.listMetaKeys(VERSION_PREFIX);
  const stale = keys.filter((key) => !wanted.has(key.slice(VERSION_PREFIX.length)));
  await Promise.all(stale.map((key) => db.deleteMeta(key)));
}

// The checklist an inspection from this task fills in: the version the task names (its
// `checklist_version`, the hash POST /inspections submits), or the latest when it names none.
export function fetchTaskChecklist(task, enterpriseId) {
  return task.checklist_version
    ? fetchChecklistVersion(task.checklist_code, task.checklist_version, enterpriseId)
    : fetchChecklist(task.checklist_code, enterpriseId);
}

// Resume the task's draft, or fetch its checklist and start a new one. → {ok, id} | {ok:false, message}
export async function startFromTask(task, { qrScanned = false } = {}) {
  const existing = (await db.listDrafts()).find((d) => d.task_occurrence_id === task.id);
  if (existing) {
    if (qrScanned && !existing.qr_scanned) await db.putDraft({ ...existing, qr_scanned: true });
    return { ok: true, id: existing.id };
  }
  const plan = taskPlan(task);
  const enterprise = currentEnterprise();
  const result = await fetchTaskChecklist(task, enterprise.id);
  if (!result.ok) {
    return {
      ok: false,
      message: result.status === 0 || result.status === 503 ? "离线且本机没有该检查表，请联网后再打开一次。" : result.problem?.detail || "无法获取检查表",
    };
  }
  const c = result.data;
  const draft = {
    id: uuid(),
    task_occurrence_id: task.id,
    plan_title: plan.title,
    profile: plan.profile,
    item_ids: plan.item_ids,
    inspection_type: plan.inspection_type,
    place: task.place || null,
    qr_scanned: qrScanned,
    enterprise_id: enterprise.id,
    enterprise_name: enterprise.name,
    due_end: task.due_end || null,
    checklist: { code: c.code, title: c.title, version_hash: c.version_hash, document: c.document, citations: c.citations },
    started_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    answers: {},
    gps: null,
    gps_note: null,
  };
  await db.putDraft(draft);
  return { ok: true, id: draft.id };
}

// An ad-hoc check (no task): a checklist the enterprise uses, whole or one of its profiles, at a
// scanned place. checklist is the GET /checklists/<code> body. → {ok, id}
export async function startAdHoc({ checklist: c, profile = null, place = null, qrScanned = false }) {
  const enterprise = currentEnterprise();
  const chosen = (c.document.profiles || []).find((p) => p.code === profile);
  const draft = {
    id: uuid(),
    task_occurrence_id: null,
    plan_title: `临时检查：${c.title}${chosen ? `（${chosen.title}）` : ""}`,
    profile: chosen ? chosen.code : null,
    item_ids: null,
    inspection_type: "daily",
    place,
    qr_scanned: qrScanned,
    enterprise_id: enterprise.id,
    enterprise_name: enterprise.name,
    due_end: null,
    checklist: { code: c.code, title: c.title, version_hash: c.version_hash, document: c.document, citations: c.citations },
    started_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    answers: {},
    gps: null,
    gps_note: null,
  };
  await db.putDraft(draft);
  return { ok: true, id: draft.id };
}

export async function discardDraft(id) {
  await db.deleteDraft(id);
  await db.deleteMediaOfOwner(id);
}
