"""Build and development scripts; ``headless_chromium`` is imported by the tests and the benchmarks."""
