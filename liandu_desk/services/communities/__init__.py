"""星级小区 use cases: records, scoring templates, inspections, issues, star ratings, red/black lists, evaluations."""
