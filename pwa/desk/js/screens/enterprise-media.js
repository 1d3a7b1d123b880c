// Images behind the API's bearer token (photos, thumbnails, the four-colour risk map): fetched as
// blobs and shown through object URLs, which the loader revokes when the screen unmounts.
import { fetchBlob } from "../api.js";
import { h } from "../ui.js";

// One loader per screen: image(path, attrs) returns an <img> at once and fills it when the blob
// arrives (data-state: loading → loaded | error); dispose() revokes every object URL it made.
export function imageLoader() {
  const urls = [];
  let disposed = false;

  function image(path, attrs = {}) {
    const img = h("img", { alt: "", loading: "lazy", ...attrs, dataset: { state: "loading", ...(attrs.dataset || {}) } });
    fetchBlob(path).then((blob) => {
      if (disposed) return;
      if (!blob) {
        img.dataset.state = "error";
        img.alt = "图片加载失败";
        img.title = "图片加载失败";
        return;
      }
      const url = URL.createObjectURL(blob);
      urls.push(url);
      img.addEventListener("load", () => (img.dataset.state = "loaded"), { once: true });
      img.addEventListener("error", () => (img.dataset.state = "error"), { once: true });
      img.src = url;
    });
    return img;
  }

  // Open the full-size file (a photo) in a new tab; the URL lives as long as the screen.
  async function open(path) {
    const blob = await fetchBlob(path);
    if (!blob || disposed) return false;
    const url = URL.createObjectURL(blob);
    urls.push(url);
    window.open(url, "_blank", "noopener");
    return true;
  }

  function dispose() {
    disposed = true;
    for (const url of urls.splice(0)) URL.revokeObjectURL(url);
  }

  return { image, open, dispose };
}

// A row of photo thumbnails (/api/v1/media/<id>/thumb); a click opens the full photo.
export function thumbnails(loader, photoIds, testid = "photo") {
  if (!photoIds || !photoIds.length) return null;
  return h(
    "div",
    { class: "thumbs", style: { display: "flex", flexWrap: "wrap", gap: "0.4rem", margin: "0.4rem 0" } },
    photoIds.map((id) =>
      h(
        "button",
        {
          type: "button",
          title: "查看原图",
          style: { padding: 0, border: "1px solid #d9dee4", background: "#fff", cursor: "zoom-in", lineHeight: 0 },
          on: { click: () => loader.open(`/api/v1/media/${id}`) },
        },
        loader.image(`/api/v1/media/${id}/thumb`, {
          style: { width: "96px", height: "72px", objectFit: "cover" },
          dataset: { testid, mediaId: id },
        }),
      ),
    ),
  );
}
