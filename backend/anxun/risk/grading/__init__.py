"""Risk grading: LEC/LS/MES scores, band tables, control levels, dynamic and enterprise grades."""
