# English as our meetings are read in the US: "7:00 PM", "Saturday, December 6, 2026".
TIME_FORMAT = "g:i A"
DATE_FORMAT = "F j, Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "F j, Y, g:i A"
