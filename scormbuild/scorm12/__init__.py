"""SCORM 1.2: its constants (``spec``), the target that writes the package (``target``) and the
manifest rules ``scormbuild validate`` applies (``rules``); what SCORM 2004 shares with it is
``scormbuild.imscp``."""
