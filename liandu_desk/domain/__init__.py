"""Domain layer: SQLAlchemy models, enums and validators (pure Python, no Qt)."""
