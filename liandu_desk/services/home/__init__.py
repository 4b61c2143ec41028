"""首页 services: work targets, what is due, the global search and the overview figures."""
