"""Language: locale formatting (and, later, detection and language codes)."""
