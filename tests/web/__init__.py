"""Browser tests of the web dashboard (a package, so its conftest does not shadow others)."""
