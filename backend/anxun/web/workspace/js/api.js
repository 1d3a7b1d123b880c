// The workspace fetch wrapper. It never throws: every call resolves to
// {ok: true, status, data} or {ok: false, status, problem}; status 0 means the network failed.
import * as session from "./session.js";

let refreshing = null;

function networkProblem() {
  return { type: "/problems/network", title: "网络不可用", detail: "无法连接服务器，请检查网络后重试。" };
}

async function send(method, path, body, token, { raw = false } = {}) {
  const headers = { Accept: raw ? "*/*" : "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined && body !== null) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { ok: false, status: 0, data: null, problem: networkProblem() };
  }
  const type = response.headers.get("Content-Type") || "";
  if (response.ok) {
    if (raw) return { ok: true, status: response.status, data: await response.blob(), response };
    const data = type.includes("json") ? await response.json().catch(() => null) : null;
    return { ok: true, status: response.status, data, problem: null };
  }
  let problem = type.includes("json") ? await response.json().catch(() => null) : null;
  if (!problem) problem = { title: `服务器返回 ${response.status}`, detail: "", status: response.status };
  return { ok: false, status: response.status, data: null, problem };
}

// One refresh at a time; concurrent 401s wait for the same attempt.
async function refreshAccess() {
  const current = session.tokens();
  if (!current?.refresh) return false;
  if (!refreshing) {
    refreshing = send("POST", "/api/v1/auth/refresh", null, current.refresh).then((result) => {
      // The server rotates refresh tokens: the one sent stops working shortly after.
      if (result.ok) session.setTokens(result.data.access_token, result.data.refresh_token);
      return result.ok;
    });
    refreshing.finally(() => (refreshing = null));
  }
  return refreshing;
}

function expired() {
  session.clear();
  window.dispatchEvent(new CustomEvent("anxun:logged-out"));
  return {
    ok: false,
    status: 401,
    data: null,
    problem: { type: "/problems/unauthorized", title: "登录已过期", detail: "请重新登录。" },
  };
}

async function authorised(method, path, body, options) {
  const first = await send(method, path, body, session.tokens()?.access, options);
  if (first.status !== 401 || !session.tokens()) return first;
  if (!(await refreshAccess())) return expired();
  const second = await send(method, path, body, session.tokens()?.access, options);
  return second.status === 401 ? expired() : second;
}

// api("GET", "/api/v1/oversight/overview?sort=name") → {ok, status, data, problem}.
export function api(method, path, body) {
  return authorised(method.toUpperCase(), path, body, {});
}

// Fetch a file with the bearer token and save it (PDF, xlsx). Resolves to the api() shape.
export async function download(path, filename) {
  const result = await authorised("GET", path, null, { raw: true });
  if (!result.ok) return result;
  const url = URL.createObjectURL(result.data);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename || path.split("/").pop();
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return { ok: true, status: result.status, data: null, problem: null };
}

export async function login(username, password) {
  const result = await send("POST", "/api/v1/auth/login", { username, password });
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
  if (!current) return;
  await send("POST", "/api/v1/auth/logout", null, current.refresh);
  await send("POST", "/api/v1/auth/logout", null, current.access);
}
