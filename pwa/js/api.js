// The phone's API client: the shared client (../shared/http.js) with the session kept in
// IndexedDB and a count of requests nobody answered, which tells the outbox when to retry.
import * as db from "./db.js";
import { createClient, isRetryable } from "../shared/http.js";

let session = null; // {access_token, refresh_token, user, enterprise_id, enterprise_name}
// Consecutive requests that got no answer at all (offline, dropped connection, timeout).
let unanswered = 0;

export async function loadSession() {
  session = (await db.getMeta("session").catch(() => null)) || null;
  return session;
}

export const currentSession = () => session;

export async function saveSession(next) {
  session = next;
  await db.setMeta("session", next);
}

export function forgetSession() {
  session = null;
}

// The server answered (not the worker from its cache): after requests that got no answer, the
// first success tells the outbox to retry at once.
function noteAnswer(response) {
  if (response.headers.get("X-Anxun-Cached-At") || response.headers.get("X-Anxun-Offline")) return;
  const wasUnreachable = unanswered > 0;
  unanswered = 0;
  if (wasUnreachable && response.ok) window.dispatchEvent(new CustomEvent("anxun:reachable"));
}

export const unansweredCount = () => unanswered;

const client = createClient({
  tokens: () => (session ? { access: session.access_token, refresh: session.refresh_token } : null),
  saveTokens: (access, refresh) =>
    saveSession({ ...session, access_token: access, ...(refresh ? { refresh_token: refresh } : {}) }),
  onExpired: () => window.dispatchEvent(new CustomEvent("anxun:auth-expired")),
  onAnswer: noteAnswer,
  onUnanswered: () => (unanswered += 1),
  networkDetail: "当前无法连接服务器，稍后将自动重试。",
  retryHint: "稍后将自动重试。",
});

// request("tasks?assignee=me") or request("/api/v1/…"); options: method, json, form, auth, timeout.
export const request = client.request;

export const login = client.login;

export async function logout() {
  if (!session) return;
  await client.logout({ access: session.access_token, refresh: session.refresh_token });
}

export { isRetryable };
