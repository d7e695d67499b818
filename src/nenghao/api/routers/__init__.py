"""One router per resource, mounted under /api/v1 (``root`` at /)."""
