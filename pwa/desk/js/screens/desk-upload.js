// Multipart uploads from the desk (photos, site plan images, the registry's Excel) through the
// shared client: the api() shape {ok, status, data, problem}, never thrown; a 401 refreshes once.
import { postForm } from "../api.js";

export const upload = postForm;

export async function sha256Hex(file) {
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// Upload one image as media of the enterprise → {ok, data: {id, width, height, …}}.
export async function uploadImage(file, enterpriseId) {
  const form = new FormData();
  form.append("id", crypto.randomUUID());
  form.append("sha256", await sha256Hex(file));
  form.append("enterprise_id", String(enterpriseId));
  form.append("file", file, file.name || "plan.png");
  return upload("/api/v1/media", form);
}
