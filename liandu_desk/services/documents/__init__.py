"""Documents: holiday calendar, numbering, the issue/serve/follow-up lifecycle and the document builders' facts."""
