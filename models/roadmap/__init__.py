"""The roadmap: where funded work sits in lanes and quarters, and the dependency lines between it."""
