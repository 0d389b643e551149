"""SCORM 2004 (4th Edition, kept to what 3rd Edition shares): its constants (``spec``), the
target that writes the package (``target``) and the manifest rules ``scormbuild validate``
applies (``rules``); what SCORM 1.2 shares with it is ``scormbuild.imscp``."""
