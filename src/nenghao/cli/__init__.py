"""The ``nenghao`` command line (typer + rich)."""
