// Server photos: a row of thumbnails, each opening the full-size picture (watermark readable).
import * as api from "./api.js";
import { h } from "./ui.js";

// Shows one stored photo at full size over the screen; closes on its button, a tap or Escape.
export async function openPhoto(id, alt = "现场照片") {
  const image = h("img.full-photo", { alt });
  const status = h("p.small", { role: "status" }, "正在加载原图…");
  const close = () => {
    overlay.remove();
    document.removeEventListener("keydown", onKey);
    if (image.src) URL.revokeObjectURL(image.src);
  };
  const onKey = (event) => event.key === "Escape" && close();
  const overlay = h(
    "div.overlay.photo-viewer",
    { role: "dialog", "aria-modal": "true", "aria-label": "查看原图", onclick: (event) => event.target === overlay && close() },
    h("button.secondary.close-photo", { type: "button", onclick: close }, "关闭"),
    status,
    image,
  );
  document.addEventListener("keydown", onKey);
  document.body.append(overlay);
  overlay.querySelector("button").focus();
  const result = await api.request(`media/${id}`, { timeout: 30000 });
  if (result.ok && result.data instanceof Blob) {
    image.src = URL.createObjectURL(result.data);
    status.remove();
  } else {
    status.textContent = "原图暂时无法加载（联网后可查看）。";
  }
}

// Thumbnails of server photos; a tap opens the photo at full size.
export async function photoStrip(ids, alt = "现场照片") {
  const figures = [];
  for (const id of ids || []) {
    const result = await api.request(`media/${id}/thumb`, { timeout: 15000 });
    if (result.ok && result.data instanceof Blob) {
      figures.push(
        h(
          "button.photo-thumb",
          { type: "button", "aria-label": `查看${alt}原图`, dataset: { mediaId: String(id) }, onclick: () => openPhoto(id, alt) },
          h("img", { src: URL.createObjectURL(result.data), alt }),
        ),
      );
    }
  }
  return figures.length ? h("div.photos.readonly", {}, figures) : h("p.small.muted", {}, `照片 ${ids?.length || 0} 张（联网后可查看）`);
}
