from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "masthead.network"
    label = "network"
    verbose_name = "Network"
