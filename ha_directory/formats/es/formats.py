# Spanish as HA's members in the Americas write it: "7:00 p. m.", "sábado, 6 de diciembre de 2026".
TIME_FORMAT = "g:i a"
DATE_FORMAT = r"j \d\e F \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e F"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
