"""The 星级小区 room: tab, community page, inspections, issues, lists and forms."""
