"""The 危房 room: tab, house page, forms, list model and the screening-table import."""
