"""xAPI tests. A package so that its conftest is imported as ``xapi.conftest``: a second
top-level ``conftest`` module would shadow the one other test files import by that name."""
