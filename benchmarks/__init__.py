"""Benchmarks of Liandu Desk against the goals of the module issues; run them all with `python -m benchmarks`."""
