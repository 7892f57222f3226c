"""The quarterly 督查通报 (supervision bulletin): drafted from the data, edited by the office,
published with a number and kept as issued (docs/architecture.md, "督查通报")."""
