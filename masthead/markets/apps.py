from django.apps import AppConfig


class MarketsConfig(AppConfig):
    name = "masthead.markets"
    label = "markets"
    verbose_name = "Markets"
