from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "masthead.reader"
    # "reader" names the search app's tables and migrations (search lived here first): see
    # masthead/search/apps.py. The pages have no models, so their label is free to differ.
    label = "pages"
    verbose_name = "Reader site"
