# English as our meetings are read in the US: "7:00 PM", "Saturday, 6 December 2026".
TIME_FORMAT = "g:i A"
DATE_FORMAT = "j F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, g:i A"
