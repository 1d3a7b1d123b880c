// Coded values: the API answers {code, label}; requests send the plain code. Cached copies made
// before a field became {code, label} may still hold a bare code, which a table can name.

export const codeOf = (value) => (value && typeof value === "object" ? value.code : value);

export const labelOf = (value, table = {}) =>
  value && typeof value === "object" ? value.label : table[value] || value || "";
