"""Service layer: the use cases. Each takes a Session and returns plain data; all business rules live here."""
