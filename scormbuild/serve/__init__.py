"""``scormbuild serve``: a live preview with a simulated LMS and an inspector (docs/serve.md).

Nothing here ever goes into a package: the preview's own files live in templates/preview/
and are served beside the built package, never inside it.
"""
