from django.urls import path

from masthead.api.api import api

urlpatterns = [path("api/v1/", api.urls)]
