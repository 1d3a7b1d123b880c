// The API docs page: lists the operations of /api/v1/openapi.json, filterable.
const spec = await (await fetch("/api/v1/openapi.json")).json();
document.getElementById("ver").textContent = `${spec.info.title} ${spec.info.version}`;
const el = (tag, props = {}, ...kids) => Object.assign(document.createElement(tag), props).appendChild
  ? (() => { const n = Object.assign(document.createElement(tag), props); n.append(...kids); return n; })()
  : null;
function render(filter) {
  const root = document.getElementById("ops");
  root.replaceChildren();
  const byTag = {};
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (typeof op !== "object" || !op.responses) continue;
      const text = `${path} ${op.summary || ""} ${op.description || ""}`.toLowerCase();
      if (filter && !text.includes(filter.toLowerCase())) continue;
      (byTag[(op.tags || ["其他"])[0]] ||= []).push([path, method, op]);
    }
  }
  for (const [tag, list] of Object.entries(byTag)) {
    root.append(el("h2", { textContent: tag }));
    for (const [path, method, op] of list) {
      const detail = { parameters: op.parameters, requestBody: op.requestBody, responses: op.responses };
      root.append(el("details", {},
        el("summary", {}, el("span", { className: `m ${method}`, textContent: method.toUpperCase() }),
          el("code", { textContent: path }), document.createTextNode(`  ${op.summary || ""}`)),
        el("pre", { textContent: JSON.stringify(detail, null, 2) })));
    }
  }
}
render("");
document.getElementById("filter").addEventListener("input", (e) => render(e.target.value));
