"""`make load`: the constant-rate mixed load test (issue 13, part 4)."""
