from django.contrib import admin

from masthead.markets.models import Instrument, Quote


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["symbol", "kind", "name", "exchange", "currency"]
    list_filter = ["kind", "exchange"]
    search_fields = ["symbol", "name"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["instrument", "last", "previous_close", "state", "note", "source", "as_of"]
    list_filter = ["state", "source", "instrument__kind"]
    list_select_related = ["instrument"]
