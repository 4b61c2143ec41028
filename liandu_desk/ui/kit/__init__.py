"""Shared GUI pieces every feature room uses: jobs, table models, forms, error and conflict dialogs."""
