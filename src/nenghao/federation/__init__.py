"""Forwarding to an upstream platform (上报) and the federation of member platforms."""
