"""The city's carbon-peak pathway (碳达峰路径): base-year emissions, scenarios,
tracking and LMDI decomposition."""
