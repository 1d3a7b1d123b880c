// Multipart uploads from the enterprise desk (site plan images, the registry's Excel), with the
// session's bearer token; resolves to the api() shape {ok, status, data, problem} and never throws.
import { api } from "../api.js";
import * as session from "../session.js";

async function post(path, form) {
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { Authorization: `Bearer ${session.tokens()?.access || ""}`, Accept: "application/json" },
      body: form,
      cache: "no-store",
    });
    const body = await response.json().catch(() => null);
    if (response.ok) return { ok: true, status: response.status, data: body, problem: null };
    return { ok: false, status: response.status, data: null, problem: body || { title: `服务器返回 ${response.status}` } };
  } catch {
    return { ok: false, status: 0, data: null, problem: { title: "网络不可用", detail: "无法连接服务器，请检查网络后重试。" } };
  }
}

// POST `form` (FormData); a 401 renews the token through api() once and tries again.
export async function upload(path, form) {
  const first = await post(path, form);
  if (first.status !== 401) return first;
  const renewed = await api("GET", "/api/v1/me");
  return renewed.ok ? post(path, form) : first;
}

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
