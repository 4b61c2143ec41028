"""Import and export use cases: read a file through io/, check it against the rules, write the rows."""
