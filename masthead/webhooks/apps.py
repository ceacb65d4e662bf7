from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "masthead.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
