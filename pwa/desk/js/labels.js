// Code → zh-CN label tables the workspace screens share (mirrors of the server's label tables).

export const INDUSTRIES = [
  ["hazardous_chemicals", "危险化学品"],
  ["construction", "房屋市政工程"],
  ["dust_explosion", "粉尘涉爆"],
  ["confined_space", "有限空间作业"],
  ["industry_trade", "工贸其他"],
  ["other", "其他"],
];

// Enterprise grade colours (安委办〔2016〕11号 four colours), worst first; "none" = not graded.
export const GRADES = [
  ["red", "红", "#d4302b"],
  ["orange", "橙", "#f08a00"],
  ["yellow", "黄", "#e5c100"],
  ["blue", "蓝", "#2f7fd1"],
  ["none", "未评定", "#9aa3ad"],
];

export function gradeColor(code) {
  return (GRADES.find(([c]) => c === (code || "none")) || GRADES[4])[2];
}

export function gradeLabel(code) {
  return (GRADES.find(([c]) => c === (code || "none")) || GRADES[4])[1];
}

export function percent(rate) {
  return rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`;
}
