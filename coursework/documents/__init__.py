"""Files coursework produces (bytes, no HTTP)."""
