# TEMPORARY STUB (replaced by the geocoder interface being written now).
def get_geocoder():
    return None
