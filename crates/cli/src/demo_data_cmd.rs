//! `gongkai demo-data`: a generated province for benchmarks.
