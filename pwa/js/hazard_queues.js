// The 隐患 tab's lists: what waits on me (to confirm, plan, approve, rectify, verify), what I
// reported, and everything (officer and head). Pure query building; one counter for the badge.
import * as api from "./api.js";

const OPEN = ["reported", "confirmed", "rectifying", "pending_verification", "awaiting_signoff"];
const MANAGERS = ["head", "safety_officer"];
const VERIFIERS = ["head", "safety_officer", "inspector"];

const codeOf = (value) => (value && typeof value === "object" ? value.code : value);
const levelOf = (hz) => codeOf(hz.level) || codeOf(hz.proposed_level);
const stateOf = (hz) => codeOf(hz.state);

// Pure: the tabs this person sees, each with its sections ({key, title, path, keep}). Sections
// of "todo" and "verify" wait on me; their rows make the badge.
export function hazardTabs(roles, enterpriseId, userId) {
  const base = `hazards?enterprise_id=${enterpriseId}&limit=50`;
  const isManager = roles.some((r) => MANAGERS.includes(r));
  const todo = [];
  if (isManager) {
    todo.push({ key: "confirm", title: "待确认", path: `${base}&state=reported` });
    todo.push({
      key: "plan",
      title: "待制定整改方案",
      path: `${base}&state=confirmed`,
      // A major hazard whose governance plan was submitted waits on the head, not on a plan.
      keep: (hz) => levelOf(hz) === "general" || hz.plan_submitted_by_user_id == null,
    });
  }
  if (roles.includes("head")) {
    todo.push({
      key: "approve",
      title: "待批准的重大隐患治理方案",
      path: `${base}&state=confirmed&level=major`,
      keep: (hz) => hz.plan_submitted_by_user_id != null && hz.plan_approved_by_user_id == null,
    });
  }
  todo.push({
    key: "mine",
    title: "待我整改",
    path: `${base}&assigned=me&state=rectifying`,
  });
  const tabs = [{ key: "todo", title: "待我整改", sections: todo, waiting: true }];
  if (roles.some((r) => VERIFIERS.includes(r))) {
    tabs.push({
      key: "verify",
      title: "待我验收",
      waiting: true,
      sections: [
        {
          key: "verify",
          title: "待我验收",
          path: `${base}&state=pending_verification`,
          // Whoever submitted the rectification may not verify it.
          keep: (hz) => hz.rectified_by_user_id !== userId,
        },
      ],
    });
  }
  tabs.push({ key: "reported", title: "我上报的", sections: [{ key: "reported", title: "我上报的", path: `${base}&reported_by=me` }] });
  if (isManager) {
    tabs.push({ key: "all", title: "全部", sections: [{ key: "all", title: "全部隐患", path: base }] });
  }
  return tabs;
}

// Pure: a section's rows from its answer (each hazard once per tab; waiting lists only open ones).
export function sectionRows(section, data, seen, waiting) {
  const items = Array.isArray(data) ? data : data?.items || [];
  return items.filter(
    (hz) =>
      (!section.keep || section.keep(hz)) &&
      (!waiting || OPEN.includes(stateOf(hz))) &&
      !seen.has(hz.id) &&
      seen.add(hz.id),
  );
}

// How many hazards wait on me now, or null when the server cannot be asked.
export async function waitingCount(roles, enterpriseId, userId) {
  const sections = hazardTabs(roles, enterpriseId, userId)
    .filter((t) => t.waiting)
    .flatMap((t) => t.sections);
  const results = await Promise.all(sections.map((s) => api.request(s.path)));
  if (results.some((r) => !r.ok)) return null;
  const seen = new Set();
  return sections.reduce((total, section, i) => total + sectionRows(section, results[i].data, seen, true).length, 0);
}
