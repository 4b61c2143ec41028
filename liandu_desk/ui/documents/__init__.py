"""The 文书 room: previews, register, service records, batches, templates and the holiday calendar."""
