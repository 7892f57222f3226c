"""Writes of the tasks app: the plan loader, reporting periods and progress reports."""
