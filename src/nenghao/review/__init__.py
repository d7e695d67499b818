"""Energy-saving review (节能审查) of fixed-asset investment projects and two-high screening."""
