"""Benchmark harness comparing Berth with CNCF Distribution (see bench/README.md)."""
