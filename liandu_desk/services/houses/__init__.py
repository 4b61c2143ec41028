"""危房 services: registration, screening, appraisal, cases, batches, plans, subsidies, list and figures."""
