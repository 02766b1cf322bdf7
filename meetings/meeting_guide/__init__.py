"""The Meeting Guide format: what its fields and codes mean, shared by reading (imports) and writing (feeds).

One object per weekly time. `reading` turns what real feeds send (JSON or
CSV, messy) into plain facts for the importer; `writing` turns our meetings
into objects apps read, through one writer of named rows.
"""

# Our language codes <-> the format's type codes (which clash with ISO 639: TR is Tradition Study).
LANGUAGE_TO_CODE = {
    "en": "EN", "es": "S", "fr": "FR", "de": "DE", "pl": "POL", "pt": "POR", "ru": "RUS", "it": "ITA", "ja": "JA",
    "ko": "KOR", "ar": "AR", "da": "DA", "nl": "NL", "fi": "FI", "el": "EL", "he": "HE", "hi": "HI", "hr": "HR",
    "hu": "HU", "is": "IS", "ka": "KA", "lt": "LT", "mt": "MT", "ne": "NE", "no": "NO", "fa": "FA", "pa": "PUN",
    "sk": "SK", "sl": "SL", "sv": "SV", "th": "TH", "tl": "TL", "tr": "TUR", "uk": "UK", "af": "AF", "am": "AM",
    "bg": "BG", "ml": "ML",
}  # fmt: skip
CODE_TO_LANGUAGE = {code: language for language, code in LANGUAGE_TO_CODE.items()}

# Codes that are facts of their own in our model, not types: open/closed, temporarily closed, online.
OPEN, CLOSED, TEMPORARILY_CLOSED, ONLINE = "O", "C", "TC", "ONL"

# The format's codes and their names (what CSV files and Google Sheets often carry instead of the code).
TYPE_NAMES = {
    "11": "11th Step Meditation", "12x12": "12 Steps & 12 Traditions", "A": "Secular", "ABSI": "As Bill Sees It",
    "AF": "Afrikaans", "AL": "Concurrent with Alateen", "AL-AN": "Concurrent with Al-Anon", "AM": "Amharic",
    "AR": "Arabic", "ASL": "American Sign Language", "B": "Big Book", "BA": "Babysitting Available",
    "BE": "Newcomer", "BG": "Bulgarian", "BI": "Bisexual", "BRK": "Breakfast", "C": "Closed", "CAN": "Candlelight",
    "CF": "Child-Friendly", "D": "Discussion", "DA": "Danish", "DB": "Digital Basket", "DD": "Dual Diagnosis",
    "DE": "German", "DR": "Daily Reflections", "EL": "Greek", "EN": "English", "FA": "Persian", "FI": "Finnish",
    "FF": "Fragrance Free", "FR": "French", "G": "Gay", "GR": "Grapevine", "H": "Birthday", "HE": "Hebrew",
    "HI": "Hindi", "HR": "Croatian", "HU": "Hungarian", "IS": "Icelandic", "ITA": "Italian", "JA": "Japanese",
    "KA": "Georgian", "KOR": "Korean", "L": "Lesbian", "LGBTQ": "LGBTQ", "LIT": "Literature", "LS": "Living Sober",
    "LT": "Lithuanian", "M": "Men", "MED": "Meditation", "ML": "Malayalam", "MT": "Maltese", "N": "Native American",
    "NB": "Non-Binary", "NDG": "Indigenous", "NE": "Nepali", "NL": "Dutch", "NO": "Norwegian", "O": "Open",
    "OUT": "Outdoor", "P": "Professionals", "POA": "Proof of Attendance", "POC": "People of Color",
    "POL": "Polish", "POR": "Portuguese", "PUN": "Punjabi", "RUS": "Russian", "S": "Spanish", "SEN": "Seniors",
    "SK": "Slovak", "SL": "Slovenian", "SM": "Smoking Permitted", "SP": "Speaker", "ST": "Step Study",
    "SV": "Swedish", "T": "Transgender", "TC": "Location Temporarily Closed", "TH": "Thai", "TL": "Tagalog",
    "TR": "Tradition Study", "TUR": "Turkish", "UK": "Ukrainian", "W": "Women", "X": "Wheelchair Access",
    "XB": "Wheelchair-Accessible Bathroom", "XT": "Cross Talk Permitted", "Y": "Young People",
    "BV-I": "Blind/Visually Impaired", "D-HOH": "Deaf/Hard of Hearing", "LO-I": "Loners/Isolationists",
    "ONL": "Online",
}  # fmt: skip
