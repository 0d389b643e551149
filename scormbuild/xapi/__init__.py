"""xAPI (Tin Can): activity definitions, statement checks, statements, LRS tooling, the CLI."""
