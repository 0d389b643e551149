"""SCORM 1.2: its constants (``spec``), the target that writes the package (``target``) and the
manifest rules ``scormbuild validate`` applies (``rules``, ``structure``)."""
