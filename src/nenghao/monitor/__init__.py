"""The monitor: data quality, device status, alert rules and their lifecycle, notifications and
the schedule that runs them."""
