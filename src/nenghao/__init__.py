"""nenghao (能耗): online energy-consumption monitoring for key energy-using enterprises."""

__version__ = "0.1.0"
