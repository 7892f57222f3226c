"""The read side (dashboards, bulletins, exports) has no tables of its own yet."""
