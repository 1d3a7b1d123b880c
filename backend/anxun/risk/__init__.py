"""Risk control (风险分级管控): registry, grading, enterprise grade, risk map."""
