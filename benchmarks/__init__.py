"""multigrad's benchmark suite: ``python -m benchmarks`` (see benchmarks/NOTES.md).

Each workload is timed in multigrad, in a hand-written NumPy version of the same math
(the *floor*), and in every peer library that is installed. Every column runs in its own
subprocess with all thread pools pinned to one thread.
"""
