"""Speed benchmarks of the Training Emissions Explorer (``python -m benchmarks``); not part of the test run."""
