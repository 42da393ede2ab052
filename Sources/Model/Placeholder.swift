// Placeholder; see README.md.
