"""Reading course source into the plain data model, and checking it."""
