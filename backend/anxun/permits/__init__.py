"""Special-work permits (特殊作业票, GB 30871—2022)."""
