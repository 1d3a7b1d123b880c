// 远程核查: one evidence request with its countdown; the answer takes photos now through the
// camera path (watermarked, with GPS) and is queued in the outbox like an inspection.
import * as api from "../api.js";
import * as db from "../db.js";
import { describe, locate } from "../geo.js";
import * as outbox from "../outbox.js";
import { photoField } from "../photo.js";
import { currentEnterprise, navigate } from "../session.js";
import { syncNow } from "../sync.js";
import { emptyState, formatDateTime, h, labelOf, loading, problemText, screenTitle, toast, uuid } from "../ui.js";

// Pure: "还剩 1 小时 05 分" / "已逾期 12 分钟" from seconds left.
export function countdownText(secondsLeft) {
  const late = secondsLeft < 0;
  const minutes = Math.floor(Math.abs(secondsLeft) / 60);
  const hours = Math.floor(minutes / 60);
  const rest = String(minutes % 60).padStart(2, "0");
  const span = hours ? `${hours} 小时 ${rest} 分` : `${minutes} 分钟`;
  return late ? `已逾期 ${span}` : `还剩 ${span}`;
}

// Seconds left now, from the server's due time (the device clock only runs the countdown).
export function secondsLeft(request, now = Date.now()) {
  return Math.round((Date.parse(request.due_at) - now) / 1000);
}

export function requestCard(request, now = Date.now()) {
  const left = secondsLeft(request, now);
  const queued = request.local === "queued";
  const where = request.place?.name || request.hazard?.title || "";
  return h(
    "a.task.evidence",
    { href: `#/evidence/${request.id}`, "data-evidence-id": String(request.id) },
    h(
      "span.task-main",
      {},
      h("strong", {}, `远程核查：${where}`),
      queued ? h("span.badge.info", {}, "已回应 · 待同步") : h(`span.badge${left < 0 ? ".bad" : ".warn"}`, {}, left < 0 ? "已逾期" : "待回应"),
    ),
    h("span.muted", {}, request.text),
    h(`span.due.countdown${left < 0 ? ".late" : ""}`, {}, queued ? "" : countdownText(left)),
  );
}

export function mount(container, { id }) {
  let alive = true;
  const enterprise = currentEnterprise();
  const owner = `evidence-${id}`;
  let photos = [];
  let gps = null;
  container.replaceChildren(screenTitle("远程核查"), loading());

  async function load() {
    const result = await api.request(`evidence-requests/${id}`);
    if (!alive) return;
    if (!result.ok) {
      container.replaceChildren(screenTitle("远程核查"), emptyState(`无法打开：${problemText(result)}`));
      return;
    }
    render(result.data);
  }

  function render(request) {
    const left = secondsLeft(request);
    const countdown = h(`p.countdown${left < 0 ? ".late" : ""}`, { "data-testid": "evidence-countdown" }, countdownText(left));
    const timer = setInterval(() => {
      const s = secondsLeft(request);
      countdown.textContent = countdownText(s);
      countdown.classList.toggle("late", s < 0);
    }, 1000);
    const stop = () => clearInterval(timer);
    cleanup.push(stop);
    const where = request.place?.name || request.hazard?.title || "";
    const head = h(
      "section.card",
      {},
      h("h2", {}, where),
      h("p", {}, request.text),
      request.items?.length
        ? h("ul.small", { "aria-label": "要展示的检查项" }, request.items.map((item) => h("li", {}, item.text || item.id, item.text ? h("span.muted", {}, `（${item.id}）`) : "")))
        : "",
      h("p.muted.small", {}, `发起：${request.requested_by?.name || ""} · 期限 ${formatDateTime(request.due_at)}`),
      countdown,
    );
    if (!request.may_answer) {
      const state = h("p", {}, `状态：${labelOf(request.state)}`);
      container.replaceChildren(screenTitle("远程核查"), head, h("section.card", {}, state));
      return;
    }
    const place = h("p.muted.small", { role: "status" }, "正在定位…");
    locate().then((found) => {
      gps = found.gps;
      place.textContent = found.gps ? describe(found.gps) : found.note;
    });
    const note = h("textarea", { rows: 3, placeholder: "说明（可选）", maxlength: 2000 });
    const error = h("p.error", { role: "alert" });
    const field = photoField({
      ids: photos,
      owner,
      required: true,
      label: "现场拍照",
      context: () => ({ enterpriseId: enterprise.id, enterpriseName: enterprise.name, placeName: where, gps }),
      onChange: (ids) => {
        photos = ids;
      },
    });
    const submit = h("button", { type: "submit", "data-testid": "evidence-submit" }, "提交回应");
    const form = h(
      "form.card",
      {},
      h("h2", {}, "拍照回应"),
      h("p.muted.small", {}, "请现在在现场拍照：照片带时间、企业和定位水印；相册中的旧照片会被标记。"),
      field,
      place,
      note,
      error,
      submit,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!photos.length) {
        error.textContent = "请至少拍一张照片。";
        return;
      }
      const answerId = uuid();
      const taken = [];
      for (const mediaId of photos) {
        const media = await db.getMedia(mediaId);
        taken.push({ media_id: mediaId, taken_at: media?.file_modified_at || null });
      }
      await outbox.add({
        id: answerId,
        kind: "evidence_answer",
        payload: {
          request_id: request.id,
          id: answerId,
          answered_at: new Date().toISOString(),
          note: note.value.trim(),
          photos: taken,
          gps,
        },
        media: photos,
        label: { title: `远程核查回应：${where}`, summary: request.text },
        enterpriseId: request.enterprise_id,
      });
      stop();
      toast(navigator.onLine ? "回应已保存，正在提交。" : "回应已保存在本机，联网后自动提交。", { kind: "ok" });
      syncNow({ force: true });
      navigate("#/tasks");
    });
    container.replaceChildren(screenTitle("远程核查"), head, form);
  }

  const cleanup = [];
  load();
  return () => {
    alive = false;
    cleanup.forEach((f) => f());
  };
}
