// What a person is shown of an application/problem+json answer: a heading, a sentence and the
// field messages (Chinese, from the server), whichever app shows it.

// {title, detail, errors: [{field, message}]} from a client result or a problem body.
export function problemParts(resultOrProblem) {
  const problem = resultOrProblem?.problem ?? resultOrProblem ?? {};
  const status = resultOrProblem?.status ?? problem.status;
  return {
    title: problem.title || (status ? `请求失败（${status}）` : "请求失败"),
    detail: problem.detail || "",
    errors: (Array.isArray(problem.errors) ? problem.errors : []).filter((e) => e && e.message),
  };
}

// One readable sentence, including up to three of the server's field messages.
export function problemText(result) {
  const { title, detail, errors } = problemParts(result);
  const head = detail || title;
  const fields = errors.map((e) => e.message);
  return fields.length ? `${head} ${fields.slice(0, 3).join(" ")}` : head;
}
