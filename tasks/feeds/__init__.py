"""Private iCalendar feeds (日历订阅): one revocable token URL per person, of the reporting due
dates, milestones and 督办单 deadlines that concern them, for Outlook or a phone."""
