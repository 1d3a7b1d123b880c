// The desk's API client: the shared client (../../shared/http.js) with the tokens kept in
// sessionStorage (closing the tab logs out). It never throws: every call resolves to
// {ok: true, status, data} or {ok: false, status, problem}; status 0 means the network failed.
import * as session from "./session.js";
import { saveFile } from "../../shared/dom.js";
import { createClient } from "../../shared/http.js";

const client = createClient({
  tokens: () => session.tokens(),
  saveTokens: (access, refresh) => session.setTokens(access, refresh),
  onExpired: () => {
    session.clear();
    window.dispatchEvent(new CustomEvent("anxun:logged-out"));
  },
  timeout: 0, // documents (PDF, xlsx) may take long to render; the desk waits for them
});

// api("GET", "/api/v1/oversight/overview?sort=name") → {ok, status, data, problem}.
export function api(method, path, body) {
  return client.request(path, { method: method.toUpperCase(), json: body });
}

// POST a multipart form (FormData: a photo, a site plan, a spreadsheet) → the api() shape.
export function postForm(path, form) {
  return client.request(path, { method: "POST", form });
}

// GET a file behind the bearer token as a Blob (a photo, a thumbnail, a map), or null.
export async function fetchBlob(path) {
  const result = await client.request(path, { raw: true });
  return result.ok ? result.data : null;
}

// Fetch a file with the bearer token and save it (PDF, xlsx). Resolves to the api() shape.
export async function download(path, filename) {
  const result = await client.request(path, { raw: true });
  if (!result.ok) return result;
  saveFile(result.data, filename || path.split("/").pop());
  return { ok: true, status: result.status, data: null, problem: null };
}

export async function login(username, password) {
  const result = await client.login(username, password);
  if (result.ok) session.start(result.data.access_token, result.data.refresh_token, result.data.user);
  return result;
}

export async function loadMe() {
  const result = await api("GET", "/api/v1/me");
  if (result.ok) session.setMe(result.data);
  return result;
}

export async function logout() {
  const current = session.tokens();
  session.clear();
  await client.logout(current);
}
