"""Shared test support: servers, browser launch, course builds, the LMS harness and walker.

tests/conftest.py puts ``tests/`` on ``sys.path`` (pytest's rootdir conftest rule), so test
modules import these as ``from support.lms import ...``.
"""
