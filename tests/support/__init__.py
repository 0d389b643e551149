"""Shared test support: servers, browser launch, course builds, the LMS harness, walker and
the learner steps the SCORM browser scenarios share (``scenarios``).

tests/conftest.py puts ``tests/`` on ``sys.path`` (pytest's rootdir conftest rule), so test
modules import these as ``from support.lms import ...``.
"""
