"""The version written into every result, so a stored result says which code produced it."""

PIPELINE_VERSION = "0.1.0"
