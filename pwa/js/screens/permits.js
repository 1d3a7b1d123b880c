// 特殊作业票 (GB 30871—2022): today's permits by status, a new permit, and on one permit the step
// the user can take now — applicant's measures at the place (QR code), the analyst's readings,
// the approver's signature in order, the guardian's start and resumption, closing with a photo.
// Permit steps are decided by the server's rules. The two steps taken at the place — confirming a
// safety measure and entering a gas reading — go into the outbox when the phone is offline (each
// with its UUID, replayed idempotently) and are sent when it is back; the others are online.
import * as api from "../api.js";
import * as db from "../db.js";
import * as outbox from "../outbox.js";
import { capture } from "../photo.js";
import { syncNow } from "../sync.js";
import { currentEnterprise, navigate, roleCodes } from "../session.js";
import { emptyState, formatDateTime, h, loading, problemText, screenTitle, toast, uuid } from "../ui.js";

const KINDS = {
  hot_work: ["动火作业", { special: "特级", first: "一级", second: "二级" }],
  confined_space: ["受限空间作业", null],
  blinding: ["盲板抽堵作业", null],
  height: ["高处作业", { I: "Ⅰ级", II: "Ⅱ级", III: "Ⅲ级", IV: "Ⅳ级", special: "特级" }],
  lifting: ["吊装作业", { first: "一级", second: "二级", third: "三级" }],
  temporary_power: ["临时用电作业", null],
  excavation: ["动土作业", null],
  road_closure: ["断路作业", null],
};
const TOXIC = { h2s: "硫化氢", co: "一氧化碳", nh3: "氨", cl2: "氯气" };
const UNITS = { oxygen: ["%vol"], combustible: ["%vol", "%LEL"], toxic: ["mg/m3", "ppm"] };
const ORDER = ["active", "suspended", "approved", "approval", "analysis", "draft", "closed", "cancelled", "expired"];
const MANAGERS = ["head", "safety_officer"];
const pad = (n) => String(n).padStart(2, "0");

// Pure: permits grouped by state in the order a shift cares about → [[label, [permit…]]].
export function groupByState(items) {
  const groups = new Map();
  for (const state of ORDER) groups.set(state, []);
  for (const item of items) groups.get(item.state.code)?.push(item);
  return [...groups.entries()].filter(([, list]) => list.length).map(([, list]) => [list[0].state.label, list]);
}

// Pure: "李强 T3302…\n王焊" → [{name, certificate_no}].
export function parseWorkers(text) {
  return String(text || "")
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts[0])
    .map(([name, certificate = ""]) => ({ name, certificate_no: certificate }));
}

function localValue(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function labelled(text, control, id) {
  control.id = id;
  return [h("label", { for: id }, text), control];
}

function errorBox() {
  return h("p.error", { role: "alert", "data-testid": "permit-error" });
}

async function act(path, json, error) {
  error.textContent = "";
  const result = await api.request(path, { method: "POST", json });
  if (!result.ok) error.textContent = problemText(result);
  return result;
}

const OFFLINE_KINDS = ["permit_measure", "permit_reading"];

// Pure: the permit's steps still in the outbox, the latest per measure →
// { measures: {code: {is_met, state}}, readings: [{...payload, state}] } (state: 待同步/被拒收…).
export function pendingSteps(entries, permitId) {
  const mine = entries.filter((e) => OFFLINE_KINDS.includes(e.kind) && e.state !== "synced" && e.payload?.permit_id === permitId);
  const measures = {};
  for (const e of mine.filter((x) => x.kind === "permit_measure")) {
    measures[e.payload.code] = { is_met: e.payload.is_met, state: outbox.STATE_LABELS[e.state] };
  }
  const readings = mine.filter((e) => e.kind === "permit_reading").map((e) => ({ ...e.payload, state: outbox.STATE_LABELS[e.state] }));
  return { measures, readings };
}

// Pure: "须在 HH:MM 前复检" for work under way with a re-analysis due, else "".
export function reanalysisText(permit) {
  if (permit.state?.code !== "active" || !permit.reanalysis_due_at) return "";
  return `须在 ${formatDateTime(permit.reanalysis_due_at)} 前复检`;
}

// Unread reminders about permits (复检将到期), each leading to its permit and read when opened.
function permitNotices(data) {
  const unread = (data?.items || []).filter((n) => n.permit_id && !n.read_at);
  if (!unread.length) return null;
  return h(
    "section.card.notices",
    { "data-testid": "permit-notices" },
    h("h2", {}, `作业票提醒（${unread.length}）`),
    unread.map((n) =>
      h(
        "a.notice",
        { href: `#/permits/${n.permit_id}`, onclick: () => api.request(`notifications/${n.id}/read`, { method: "POST" }) },
        h("strong", {}, n.title),
        n.body ? h("span.small", {}, n.body) : "",
        h("span.small.muted", {}, formatDateTime(n.created_at)),
      ),
    ),
  );
}

async function list(container) {
  const enterprise = currentEnterprise();
  const body = h("div", {}, loading());
  const notices = h("div");
  container.append(
    screenTitle("特殊作业票"),
    notices,
    h("p", {}, h("a.button", { href: "#/permits/new", "data-testid": "permit-new" }, "新建作业票")),
    body,
  );
  const [result, reminders] = await Promise.all([
    api.request(`permits?enterprise_id=${enterprise.id}`),
    api.request("notifications?unread=true&limit=20"),
  ]);
  if (reminders.ok) notices.replaceChildren(...[permitNotices(reminders.data)].filter(Boolean));
  // The list as last seen online stays on the device: offline at the place it still opens the
  // permits opened before (their steps there go into the outbox).
  const key = `permits:${enterprise.id}`;
  let items;
  if (result.ok) {
    items = result.data.items || [];
    await db.putReferenceList(key, { items, cached_at: new Date().toISOString() });
  } else {
    const cached = result.status === 0 ? await db.getReferenceList(key) : null;
    if (!cached) return body.replaceChildren(h("p.error", {}, problemText(result)));
    items = cached.items;
    notices.replaceChildren(h("p.muted", { "data-testid": "permit-offline" }, `离线数据，更新于 ${formatDateTime(cached.cached_at)}`));
  }
  if (!items.length) return body.replaceChildren(emptyState("今天没有作业票。"));
  body.replaceChildren(
    ...groupByState(items).map(([label, permits]) =>
      h(
        "section",
        { "data-testid": "permit-group" },
        h("h2", {}, `${label}（${permits.length}）`),
        h(
          "ul.list",
          {},
          permits.map((p) =>
            h(
              "li",
              {},
              h(
                "a",
                { href: `#/permits/${p.id}`, "data-testid": "permit-row" },
                h("strong", {}, `${p.label} ${p.number}`),
                h("div.muted", {}, `${p.place.name}｜${formatDateTime(p.valid_from)} 至 ${formatDateTime(p.valid_to)}`),
                p.is_reanalysis_missed ? h("div.error", {}, "未按时复检") : null,
                reanalysisText(p) ? h("div.muted", { "data-testid": "permit-due" }, reanalysisText(p)) : null,
                p.grade_note ? h("div.muted", {}, "夜间/节假日动火已升级") : null,
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

async function newForm(container) {
  const enterprise = currentEnterprise();
  const error = errorBox();
  const kind = h("select", { "data-testid": "permit-kind" }, Object.entries(KINDS).map(([code, [text]]) => h("option", { value: code }, text)));
  const grade = h("select", { "data-testid": "permit-grade" });
  const fillGrades = () => {
    const grades = KINDS[kind.value][1];
    grade.replaceChildren(...(grades ? Object.entries(grades).map(([code, text]) => h("option", { value: code }, text)) : [h("option", { value: "none" }, "不分级")]));
  };
  kind.addEventListener("change", fillGrades);
  fillGrades();
  const place = h("select", { "data-testid": "permit-place" }, h("option", { value: "" }, "正在加载地点…"));
  const guardian = h("select", { "data-testid": "permit-guardian" }, h("option", { value: "" }, "正在加载人员…"));
  const related = h("select", { "data-testid": "permit-related" }, h("option", { value: "" }, "无"));
  const now = new Date();
  const from = h("input", { type: "datetime-local", required: true, value: localValue(now), "data-testid": "permit-from" });
  const to = h("input", { type: "datetime-local", required: true, value: localValue(new Date(now.getTime() + 4 * 3600e3)), "data-testid": "permit-to" });
  const content = h("textarea", { rows: 2, required: true, "data-testid": "permit-content" });
  const method = h("input", { type: "text", maxlength: 100, placeholder: "如电焊、气割、打磨", "data-testid": "permit-method" });
  const workers = h("textarea", { rows: 2, required: true, placeholder: "每行：姓名 特种作业证号", "data-testid": "permit-workers" });
  const medium = h("input", { type: "text", maxlength: 100, "data-testid": "permit-medium" });
  const lel = h("input", { type: "number", step: "0.1", min: "0.1", inputmode: "decimal", "data-testid": "permit-lel" });
  const toxic = Object.entries(TOXIC).map(([code, text]) =>
    h("label.inline", {}, h("input", { type: "checkbox", value: code, "data-testid": `permit-toxic-${code}` }), text),
  );
  const submit = h("button.big", { type: "submit", "data-testid": "permit-submit" }, "提交作业票");
  const form = h(
    "form.stack",
    { "data-testid": "permit-form" },
    labelled("作业类别", kind, "permit-kind"),
    labelled("级别", grade, "permit-grade"),
    labelled("作业地点", place, "permit-place"),
    labelled("作业内容", content, "permit-content"),
    labelled("作业方式（动火方式）", method, "permit-method"),
    labelled("开始时间", from, "permit-from"),
    h("p.muted.small", {}, "夜间、公休日、节假日的动火作业将自动升级一级管理（GB 30871—2022），提交后显示升级原因。"),
    labelled("结束时间", to, "permit-to"),
    labelled("作业人员", workers, "permit-workers"),
    labelled("监护人", guardian, "permit-guardian"),
    labelled("关联作业票（如受限空间）", related, "permit-related"),
    labelled("作业介质", medium, "permit-medium"),
    labelled("介质爆炸下限（%，动火、受限空间必填）", lel, "permit-lel"),
    h("fieldset", {}, h("legend", {}, "可能存在的有毒气体"), toxic),
    error,
    submit,
  );
  container.append(screenTitle("新建作业票"), form);
  const [places, people, permits] = await Promise.all([
    api.request(`enterprises/${enterprise.id}/places`),
    api.request(`enterprises/${enterprise.id}/users`),
    api.request(`permits?enterprise_id=${enterprise.id}`),
  ]);
  const items = (r) => (r.ok ? (Array.isArray(r.data) ? r.data : r.data?.items || []) : []);
  place.replaceChildren(h("option", { value: "" }, "请选择"), ...items(places).map((p) => h("option", { value: String(p.id) }, p.name)));
  guardian.replaceChildren(h("option", { value: "" }, "请选择"), ...items(people).filter((p) => p.is_active !== false).map((p) => h("option", { value: String(p.id) }, p.display_name)));
  related.append(...items(permits).filter((p) => ["draft", "analysis", "approval", "approved", "active"].includes(p.state.code)).map((p) => h("option", { value: p.id }, `${p.label} ${p.number}`)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    const body = {
      id: uuid(),
      enterprise_id: enterprise.id,
      kind: kind.value,
      grade: grade.value,
      place_id: Number(place.value) || 0,
      content: content.value.trim(),
      work_method: method.value.trim(),
      valid_from: new Date(from.value).toISOString(),
      valid_to: new Date(to.value).toISOString(),
      guardian_user_id: Number(guardian.value) || 0,
      workers: parseWorkers(workers.value),
      related_permit_id: related.value || null,
      medium: medium.value.trim(),
      lel_percent: lel.value ? Number(lel.value) : null,
      toxic_substances: toxic.map((l) => l.querySelector("input")).filter((i) => i.checked).map((i) => i.value),
    };
    const result = await act("permits", body, error);
    submit.disabled = false;
    if (result.ok) navigate(`#/permits/${result.data.id}`);
  });
}

function info(permit) {
  return h(
    "dl.facts",
    { "data-testid": "permit-facts" },
    h("dt", {}, "状态"),
    h("dd", { "data-testid": "permit-state" }, permit.state.label),
    permit.grade_note ? [h("dt", {}, "级别"), h("dd", { "data-testid": "permit-grade-note" }, h("span.badge.warn", {}, permit.label), ` ${permit.grade_note}`)] : null,
    reanalysisText(permit) ? [h("dt", {}, "复检"), h("dd", { "data-testid": "permit-due" }, reanalysisText(permit))] : null,
    h("dt", {}, "地点"),
    h("dd", {}, permit.place.name),
    h("dt", {}, "内容"),
    h("dd", {}, permit.content),
    h("dt", {}, "有效期"),
    h("dd", {}, `${formatDateTime(permit.valid_from)} 至 ${formatDateTime(permit.valid_to)}`),
    h("dt", {}, "监护人"),
    h("dd", {}, permit.guardian),
    permit.related_permit ? [h("dt", {}, "关联作业票"), h("dd", {}, `${permit.related_permit.label} ${permit.related_permit.number}`)] : null,
    permit.analysis_problem ? [h("dt", {}, "气体分析"), h("dd.error", {}, permit.analysis_problem)] : null,
  );
}

function measuresStep(permit, refresh, kept, pending, queue) {
  const error = errorBox();
  const token = h("input", { type: "text", maxlength: 16, autocomplete: "off", value: kept.qr, placeholder: "扫码或输入地点标签上的编码", "data-testid": "permit-qr" });
  token.addEventListener("input", () => (kept.qr = token.value));
  const alsoHazard = h("input", { type: "checkbox", "data-testid": "permit-measure-hazard" });
  // Photos taken here go with the next measure confirmed.
  const photos = [];
  const shown = h("span.muted", {}, "");
  const camera = h("input", { type: "file", accept: "image/*", capture: "environment", "data-testid": "permit-measure-photo" });
  camera.addEventListener("change", async () => {
    for (const file of camera.files) {
      const id = await uploadPhoto(file, currentEnterprise(), permit.place.name);
      if (id) photos.push(id);
      else error.textContent = "照片上传失败，请重试。";
    }
    shown.textContent = `已拍 ${photos.length} 张，随下一项确认提交`;
  });
  const rows = permit.measures.map((m) => {
    const send = async (isMet) => {
      const body = { id: uuid(), code: m.code, is_met: isMet, qr_token: token.value.trim(), media_ids: [...photos], raise_hazard: !isMet && alsoHazard.checked };
      const result = await act(`permits/${permit.id}/measures`, body, error);
      if (result.ok) refresh(result.data);
      // No answer (offline): kept in the outbox with its photos, sent when the phone is back.
      else if (result.status === 0) {
        error.textContent = "";
        await queue("permit_measure", body, body.media_ids, `安全措施 ${m.code}${isMet ? "已落实" : "未落实"}`);
      }
    };
    const waiting = pending.measures[m.code];
    const status = waiting
      ? `${waiting.is_met ? "已落实" : "未落实"}（${waiting.state}）`
      : m.is_met === null
        ? "未确认"
        : m.is_met
          ? "已落实"
          : "未落实";
    return h(
      "li",
      { "data-testid": "permit-measure", dataset: { code: m.code } },
      h("div", {}, `${m.code} ${m.text}`),
      h("div.muted", { "data-testid": "permit-measure-status" }, status),
      m.media_ids.length ? h("div.muted", {}, `照片 ${m.media_ids.length} 张`) : null,
      m.hazard_id ? h("div.error", {}, "已上报隐患") : null,
      h("div.row", {}, h("button", { type: "button", onclick: () => send(true), "data-testid": "permit-measure-ok" }, "已落实"), h("button", { type: "button", onclick: () => send(false) }, "未落实")),
    );
  });
  return h(
    "section",
    { "data-testid": "permit-measures" },
    h("h2", {}, "安全措施确认（在作业地点）"),
    labelled("地点二维码", token, "permit-qr"),
    h("label", {}, "措施照片", camera),
    shown,
    h("label.inline", {}, alsoHazard, "未落实时同时上报隐患"),
    h("ul.list", {}, rows),
    error,
  );
}

function readingStep(permit, refresh, pending, queue) {
  const error = errorBox();
  const check = h("select", { "data-testid": "permit-gas" }, permit.required_checks.map((c) => h("option", { value: `${c.gas}|${c.substance}` }, c.label)));
  const unit = h("select", { "data-testid": "permit-unit" });
  const fillUnits = () => unit.replaceChildren(...UNITS[check.value.split("|")[0]].map((u) => h("option", { value: u }, u)));
  check.addEventListener("change", fillUnits);
  fillUnits();
  const value = h("input", { type: "number", step: "0.01", min: "0", inputmode: "decimal", required: true, "data-testid": "permit-value" });
  const analyst = h("input", { type: "text", maxlength: 50, required: true, value: api.currentSession()?.user?.display_name || "", "data-testid": "permit-analyst" });
  const instrument = h("input", { type: "text", maxlength: 100, required: true, "data-testid": "permit-instrument" });
  const alsoHazard = h("input", { type: "checkbox" });
  const form = h(
    "form.stack",
    { "data-testid": "permit-reading-form" },
    labelled("分析项目", check, "permit-gas"),
    labelled("数值", value, "permit-value"),
    labelled("单位", unit, "permit-unit"),
    labelled("分析人", analyst, "permit-analyst"),
    labelled("检测仪器", instrument, "permit-instrument"),
    h("label.inline", {}, alsoHazard, "不合格时同时上报隐患"),
    error,
    h("button.big", { type: "submit", "data-testid": "permit-reading-submit" }, "录入分析数据"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const [gas, substance] = check.value.split("|");
    const body = { id: uuid(), gas, substance, value: Number(value.value), unit: unit.value, analyst_name: analyst.value.trim(), instrument: instrument.value.trim(), taken_at: new Date().toISOString(), raise_hazard: alsoHazard.checked };
    const result = await act(`permits/${permit.id}/readings`, body, error);
    if (result.ok) refresh(result.data);
    else if (result.status === 0) {
      error.textContent = "";
      const name = permit.required_checks.find((c) => `${c.gas}|${c.substance}` === check.value)?.label || gas;
      await queue("permit_reading", body, [], `${name} ${body.value} ${body.unit}`);
    }
  });
  const readings = permit.readings.map((r) =>
    h("li", { "data-testid": "permit-reading" }, `${formatDateTime(r.taken_at)} ${r.judgement}（${r.analyst_name}，${r.instrument}）`),
  );
  const labels = Object.fromEntries(permit.required_checks.map((c) => [`${c.gas}|${c.substance}`, c.label]));
  const waiting = pending.readings.map((r) =>
    h(
      "li",
      { "data-testid": "permit-reading-pending" },
      `${formatDateTime(r.taken_at)} ${labels[`${r.gas}|${r.substance}`] || r.gas} ${r.value} ${r.unit}（${r.analyst_name}，${r.state}，判定以服务器为准）`,
    ),
  );
  return h("section", {}, h("h2", {}, "气体分析"), h("ul.list", {}, readings, waiting), form);
}

function button(text, testid, onclick) {
  return h("button.big", { type: "button", onclick, "data-testid": testid }, text);
}

// Like the paper form, each approver signs their own row; the server keeps the order and says
// who must sign first.
function approvalStep(permit, refresh) {
  const error = errorBox();
  const roles = roleCodes();
  const rows = permit.approval_steps.map((s) => {
    const approve = async () => {
      const result = await act(`permits/${permit.id}/approvals`, { step: s.code, expected_version: permit.version }, error);
      if (result.ok) refresh(result.data);
    };
    const mine = !s.approver && (s.roles || MANAGERS).some((r) => roles.includes(r));
    return h(
      "li",
      { dataset: { step: s.code } },
      h("div", {}, `${s.label}：${s.approver || "待审批"}`),
      mine ? h("button", { type: "button", onclick: approve, "data-testid": "permit-approve", dataset: { step: s.code } }, `以${s.label}身份审批同意`) : null,
    );
  });
  return h("section", {}, h("h2", {}, "审批"), h("ul.list", {}, rows), error);
}

function guardianStep(permit, refresh, action, text) {
  const error = errorBox();
  const me = api.currentSession()?.user?.id;
  if (me !== permit.guardian_user_id) return h("p.muted", {}, `等待监护人 ${permit.guardian} 到场确认。`);
  const go = async () => {
    const result = await act(`permits/${permit.id}/${action}`, { expected_version: permit.version }, error);
    if (result.ok) refresh(result.data);
  };
  return h("section", {}, button(text, `permit-${action}`, go), error);
}

// The photo is kept on the device first; offline it is uploaded later by the outbox.
async function uploadPhoto(file, enterprise, placeName) {
  const media = await capture(file, { owner: "permit", enterpriseId: enterprise.id, enterpriseName: enterprise.name, placeName, gps: null });
  const form = new FormData();
  form.append("id", media.id);
  form.append("sha256", media.sha256);
  form.append("enterprise_id", String(enterprise.id));
  form.append("file", media.blob, `${media.id}.jpg`);
  const result = await api.request("media", { method: "POST", form });
  return result.ok || result.status === 0 ? media.id : null;
}

function closeStep(permit, refresh) {
  const error = errorBox();
  const photos = [];
  const shown = h("p.muted", { "data-testid": "permit-photos" }, "尚未拍照");
  const input = h("input", { type: "file", accept: "image/*", capture: "environment", "data-testid": "permit-photo" });
  input.addEventListener("change", async () => {
    for (const file of input.files) {
      const id = await uploadPhoto(file, currentEnterprise(), permit.place.name);
      if (id) photos.push(id);
      else error.textContent = "照片上传失败，请重试。";
    }
    shown.textContent = `已拍 ${photos.length} 张`;
  });
  const checked = h("input", { type: "checkbox", "data-testid": "permit-site-checked" });
  const close = async () => {
    const result = await act(`permits/${permit.id}/closure`, { is_site_checked: checked.checked, close_media_ids: photos, expected_version: permit.version }, error);
    if (result.ok) refresh(result.data);
  };
  return h("section", {}, h("h2", {}, "完工验收"), h("label", {}, "完工现场照片", input), shown, h("label.inline", {}, checked, "现场已检查，工完料净场地清"), button("完工关闭作业票", "permit-close", close), error);
}

function detailBody(permit, refresh, kept, pending, queue) {
  const state = permit.state.code;
  const parts = [info(permit)];
  if (state === "draft") parts.push(measuresStep(permit, refresh, kept, pending, queue));
  else {
    // What was confirmed before: the approver and the guardian see it all above their step.
    const met = permit.measures.filter((m) => m.is_met).length;
    parts.push(
      h(
        "details",
        { "data-testid": "permit-measures-done" },
        h("summary", {}, `安全措施：${met}/${permit.measures.length} 项已落实`),
        h("ul.list", {}, permit.measures.map((m) => h("li", {}, `${m.code} ${m.text}｜${m.is_met ? "已落实" : "未落实"}｜${m.confirmed_by}`))),
      ),
    );
  }
  // Offline at the place, every measure confirmed on the device: the readings may follow them in
  // the outbox (sent after the measures, in the order they were made).
  const measuresDone = permit.measures.every((m) => (pending.measures[m.code]?.is_met ?? m.is_met) === true);
  const readingState = ["analysis", "approval", "approved", "active", "suspended"].includes(state) || (state === "draft" && measuresDone);
  if (readingState && permit.required_checks.length) {
    parts.push(readingStep(permit, refresh, pending, queue));
  }
  if (state === "approval") parts.push(approvalStep(permit, refresh));
  if (state === "approved") parts.push(guardianStep(permit, refresh, "start", "监护人到场，开始作业"));
  if (state === "suspended") parts.push(guardianStep(permit, refresh, "resume", "重新分析合格，恢复作业"));
  if (state === "active") parts.push(closeStep(permit, refresh));
  parts.push(h("section", {}, h("h2", {}, "过程记录"), h("ol.list", {}, permit.transitions.map((t) => h("li", {}, `${formatDateTime(t.created_at)} ${t.label}｜${t.actor}${t.note ? `｜${t.note}` : ""}`)))));
  return parts;
}

function detail(container, id) {
  const title = screenTitle("作业票");
  const offline = h("p.muted", { "data-testid": "permit-offline" });
  const body = h("div", {}, loading());
  container.append(title, offline, body);
  // The place code typed (or scanned) once stays while the measures are confirmed one by one.
  const kept = { qr: "" };
  let current = null;
  // The permit as last seen online stays on the device, so the place's steps work offline.
  const remember = (permit) => db.putReferenceList(`permit:${permit.id}`, { permit, cached_at: new Date().toISOString() });
  const show = async (permit) => {
    current = permit;
    const pending = pendingSteps(await outbox.list(), permit.id);
    title.textContent = `${permit.label} ${permit.number}`;
    body.replaceChildren(...detailBody(permit, refresh, kept, pending, queue));
  };
  const refresh = async (permit) => {
    offline.textContent = "";
    await remember(permit);
    await show(permit);
    toast(`作业票：${permit.state.label}`);
  };
  const queue = async (kind, payload, media, what) => {
    await outbox.add({
      id: payload.id,
      kind,
      payload: { ...payload, permit_id: current.id },
      media,
      enterpriseId: current.enterprise_id,
      label: { title: `${current.label} ${current.number}：${what}`, place: current.place.name },
    });
    syncNow();
    toast("已保存在本机，联网后自动提交", { kind: "ok" });
    await show(current);
  };
  const load = async () => {
    const result = await api.request(`permits/${encodeURIComponent(id)}`);
    if (result.ok) {
      offline.textContent = "";
      await remember(result.data);
      return show(result.data);
    }
    const cached = result.status === 0 ? await db.getReferenceList(`permit:${id}`) : null;
    if (!cached) return body.replaceChildren(h("p.error", {}, problemText(result)));
    offline.textContent = `离线数据，更新于 ${formatDateTime(cached.cached_at)}；安全措施确认和气体分析数据先保存在本机`;
    return show(cached.permit);
  };
  // A step sent from the outbox comes back with the server's decision: show it.
  const onSynced = (event) => {
    if (event.detail?.payload?.permit_id === id) load();
  };
  window.addEventListener("anxun:synced", onSynced);
  load();
  return () => window.removeEventListener("anxun:synced", onSynced);
}

export function mount(container, { id }) {
  if (!id) list(container);
  else if (id === "new") newForm(container);
  else return detail(container, id);
}
