"""The 首页 room: figures, targets, what is due and the global search."""
