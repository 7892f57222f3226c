"""The annual export: the workbook for the supervision authorities (openpyxl) and the annual
report (PDF and Word, in the 公文 layout of reports.documents), built through the build jobs."""
