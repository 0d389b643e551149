"""scormbuild: compile a Markdown + YAML course into packages that real LMSs and LRSs run."""

__version__ = "0.1.0"
