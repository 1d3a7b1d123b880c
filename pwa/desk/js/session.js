// The workspace session: tokens live in sessionStorage (closing the tab logs out), and the
// /api/v1/me body is cached here so screens can ask about roles synchronously.

const KEY = "anxun.workspace.session";
const REGULATOR_ROLES = ["regulator_admin", "regulator_inspector"];

let state = read();

function read() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY)) || null;
  } catch {
    return null;
  }
}

function write() {
  if (state) sessionStorage.setItem(KEY, JSON.stringify(state));
  else sessionStorage.removeItem(KEY);
}

export function tokens() {
  return state ? { access: state.access_token, refresh: state.refresh_token } : null;
}

export function start(accessToken, refreshToken, user) {
  state = { access_token: accessToken, refresh_token: refreshToken, me: user || null };
  write();
}

export function setTokens(accessToken, refreshToken) {
  if (!state) return;
  state.access_token = accessToken;
  if (refreshToken) state.refresh_token = refreshToken;
  write();
}

export function setMe(user) {
  if (!state) return;
  state.me = user;
  write();
}

export function clear() {
  state = null;
  write();
}

// The cached /api/v1/me body: {id, username, display_name, memberships: [{role: {code, label},
// enterprise_id, regulator_id, agency_id, organisation_name}]}, or null when logged out.
export function me() {
  return state?.me || null;
}

function roleCode(membership) {
  return typeof membership.role === "string" ? membership.role : membership.role?.code;
}

export function roles() {
  return (me()?.memberships || []).map(roleCode);
}

export function hasRole(...wanted) {
  const held = roles();
  return wanted.some((role) => held.includes(role));
}

export const isRegulator = () => hasRole(...REGULATOR_ROLES, "platform_admin");
export const isAuditor = () => hasRole("auditor");
export const ENTERPRISE_ROLES = ["head", "safety_officer", "inspector", "rectifier"];
// An enterprise user with no regulator or agency role: the desk shows the enterprise's screens.
export const isEnterprise = () => hasRole(...ENTERPRISE_ROLES) && !isRegulator() && !isAuditor();

// The enterprise the user works for on the desk (the first enterprise membership).
export function enterpriseId() {
  const membership = (me()?.memberships || []).find((m) => m.enterprise_id);
  return membership ? membership.enterprise_id : null;
}

// The regulator ids / agency ids the user belongs to (for screens that post on behalf of one).
export function regulatorIds() {
  return [...new Set((me()?.memberships || []).map((m) => m.regulator_id).filter(Boolean))];
}

export function agencyIds() {
  return [...new Set((me()?.memberships || []).map((m) => m.agency_id).filter(Boolean))];
}

export function organisationName() {
  const named = (me()?.memberships || []).find((m) => m.organisation_name);
  return named ? named.organisation_name : "";
}
