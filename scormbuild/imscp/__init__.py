"""What SCORM 1.2 and SCORM 2004 share as IMS content packages: the package a target writes
(``target``: one SCO launched from index.html, a manifest listing every file, ids from the course
id, the proof that the learner state fits cmi.suspend_data) and the manifest rules ``validate``
applies to both (``rules``). Each standard's constants stay in its own ``spec.py``; this part
sits below ``scorm12/`` and ``scorm2004/`` and above ``target`` and ``pkgcheck/``."""
