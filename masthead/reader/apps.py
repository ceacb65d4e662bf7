from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "masthead.reader"
    label = "reader"
    verbose_name = "Reader site"
