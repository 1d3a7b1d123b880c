// What a person is shown of an application/problem+json answer: a heading, a sentence and the
// field messages (Chinese, from the server), whichever app shows it.

// {title, detail, errors: [{field, message}]} from a client result or a problem body. A field
// message the detail already says is left out: a refusal with one reason (such as a rule about
// who may act, on the field "actor", which no form has) reads once.
export function problemParts(resultOrProblem) {
  const problem = resultOrProblem?.problem ?? resultOrProblem ?? {};
  const status = resultOrProblem?.status ?? problem.status;
  const detail = problem.detail || "";
  return {
    title: problem.title || (status ? `请求失败（${status}）` : "请求失败"),
    detail,
    errors: (Array.isArray(problem.errors) ? problem.errors : []).filter((e) => e && e.message && e.message !== detail),
  };
}

// One readable sentence, including up to three of the server's field messages.
export function problemText(result) {
  const { title, detail, errors } = problemParts(result);
  const head = detail || title;
  const fields = errors.map((e) => e.message);
  return fields.length ? `${head} ${fields.slice(0, 3).join(" ")}` : head;
}
