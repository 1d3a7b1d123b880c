// Who is logged in and for which enterprise: derived from the stored session (pure helpers).
import * as api from "./api.js";

// Pure: the distinct enterprises a user works for, with the roles held in each.
export function enterprisesOf(user) {
  const byId = new Map();
  for (const m of user?.memberships || []) {
    if (m.enterprise_id == null) continue;
    if (!byId.has(m.enterprise_id)) {
      byId.set(m.enterprise_id, { id: m.enterprise_id, name: m.organisation_name || `企业 ${m.enterprise_id}`, roles: [] });
    }
    byId.get(m.enterprise_id).roles.push(m.role);
  }
  return [...byId.values()];
}

export function currentEnterprise() {
  const session = api.currentSession();
  if (!session?.enterprise_id) return null;
  return enterprisesOf(session.user).find((e) => e.id === session.enterprise_id) || null;
}

export function roleCodes() {
  return (currentEnterprise()?.roles || []).map((r) => r.code ?? r);
}

export function roleLabels() {
  return (currentEnterprise()?.roles || []).map((r) => r.label ?? r).join("、");
}

export async function chooseEnterprise(enterprise) {
  const session = api.currentSession();
  await api.saveSession({ ...session, enterprise_id: enterprise.id, enterprise_name: enterprise.name });
}

export function navigate(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}
