"""Installing, starting and checking the project: shell scripts, and `stack`, which starts the
real parts for the service tests and benchmarks."""
