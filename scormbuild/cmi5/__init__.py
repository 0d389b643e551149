"""cmi5 (Quartz): the course structure (cmi5.xml), the target, and the rules ``validate``
applies to a cmi5 package. The statements the player sends are in
templates/player/tracking/cmi5.js (docs/cmi5.md)."""
