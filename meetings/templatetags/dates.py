from django import template

from meetings import dates

register = template.Library()
register.filter("weekday_date", dates.weekday_date)
register.filter("weekday_month_day", dates.weekday_month_day)
register.filter("short_date", dates.short_date)
