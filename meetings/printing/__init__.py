"""Printed meeting lists and PDFs for aftercare staff and H&I committees.

The list comes from the website's one search (MeetingFilter: the same
parameters, validation and messages as /meetings/) plus a few print-only
options (options.py). layout.py turns the search into what the page shows;
one template serves the printable page and the PDF, which pdf.py renders
with WeasyPrint, fetching nothing but our own static files; views.py serves
both; checks.py tells at start-up when WeasyPrint cannot load.
"""
