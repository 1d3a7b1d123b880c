// 随手拍: report a hazard directly, without a task (place, description, photos, proposed level).
// Saved in the outbox under a client UUID first, so it works offline and reaches the server once.
import * as api from "../api.js";
import * as outbox from "../outbox.js";
import { photoField } from "../photo.js";
import { currentEnterprise, navigate } from "../session.js";
import { syncNow } from "../sync.js";
import { h, screenTitle, toast, uuid } from "../ui.js";
import { LEVEL_LABELS } from "./hazards.js";

// Pure: the POST /hazards body from what the form holds, or a sentence saying what is missing.
export function reportPayload({ id, enterpriseId, title, description, placeId, photoIds, level }) {
  if (!title.trim()) return "请填写隐患名称。";
  if (!photoIds.length) return "请拍摄至少一张现场照片。";
  const body = {
    id,
    enterprise_id: enterpriseId,
    title: title.trim(),
    description: description.trim(),
    media_ids: photoIds,
    proposed_level: level || "general",
  };
  if (placeId) body.place_id = Number(placeId);
  return body;
}

async function placeOptions(select, enterpriseId, chosen) {
  const result = await api.request(`enterprises/${enterpriseId}/places?limit=100`);
  const places = result.ok ? result.data?.items || [] : [];
  select.replaceChildren(
    h("option", { value: "" }, places.length ? "不指定检查点" : "检查点名单暂时无法加载（可不指定）"),
    ...places.map((p) => h("option", { value: String(p.id), selected: String(p.id) === String(chosen ?? "") }, p.name)),
  );
}

export function mount(container, params) {
  const enterprise = currentEnterprise();
  const clientId = uuid();
  let photos = [];
  const title = h("input", { id: "report-title", maxlength: 300, placeholder: "例如：消防通道堆放货物" });
  const description = h("textarea", { id: "report-description", rows: 3, maxlength: 2000 });
  const place = h("select", { id: "report-place" }, h("option", { value: "" }, "正在加载检查点…"));
  placeOptions(place, enterprise.id, params?.query?.get("place"));
  const level = h(
    "select",
    { id: "report-level" },
    Object.entries(LEVEL_LABELS).map(([value, text]) => h("option", { value }, text)),
  );
  const error = h("p.error", { role: "alert" });
  const submit = h("button", { type: "submit" }, "上报隐患");
  const placeName = () => (place.value ? place.selectedOptions[0]?.textContent : "");
  const form = h(
    "form.card.direct-report",
    {
      onsubmit: async (event) => {
        event.preventDefault();
        const body = reportPayload({
          id: clientId,
          enterpriseId: enterprise.id,
          title: title.value,
          description: description.value,
          placeId: place.value,
          photoIds: photos,
          level: level.value,
        });
        if (typeof body === "string") {
          error.textContent = body;
          return;
        }
        submit.disabled = true;
        await outbox.add({
          id: clientId,
          kind: "hazard_report",
          payload: body,
          media: photos,
          enterpriseId: enterprise.id,
          label: { title: `随手拍：${body.title}`, place: placeName() },
        });
        syncNow();
        toast(navigator.onLine ? "已保存，正在上报" : "已保存在本机，联网后自动上报", { kind: "ok" });
        navigate("#/records");
      },
    },
    h("p.small.muted", {}, "无需任务，发现隐患随时上报。照片带时间、企业、检查点、定位和拍摄人水印；离线时先保存在本机，联网后自动上报。"),
    h("label", { for: title.id }, "隐患名称"),
    title,
    h("label", { for: description.id }, "隐患描述（可选）"),
    description,
    h("label", { for: place.id }, "检查点"),
    place,
    h("label", { for: level.id }, "建议等级"),
    level,
    h("p.small", {}, "现场照片"),
    photoField({
      ids: [],
      owner: clientId,
      label: "拍摄现场照片",
      required: true,
      context: () => ({ enterpriseId: enterprise.id, enterpriseName: enterprise.name, placeName: placeName() }),
      onChange: (ids) => {
        photos = ids;
      },
    }),
    error,
    submit,
  );
  container.replaceChildren(screenTitle("随手拍"), form);
}
