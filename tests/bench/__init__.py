"""`make bench`: speed and memory of vankien from 1k to 100k passages.

Run with ``python -m tests.bench.run`` (see ``run.py`` for the options).
Nothing here is collected by pytest: the files are not named ``test_*``.
"""
