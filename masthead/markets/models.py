"""Instruments shown in tickers and currency panels, and their quotes."""

from django.db import models


class InstrumentKind(models.TextChoices):
    STOCK = "stock"
    CURRENCY = "currency"


class Instrument(models.Model):
    # The same symbol can mean two things: AZN is AstraZeneca (stock) and the Azerbaijani manat.
    symbol = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, choices=InstrumentKind.choices)
    name = models.CharField(max_length=200, blank=True)
    exchange = models.CharField(max_length=32, blank=True)
    currency = models.CharField(max_length=8, blank=True, help_text="ISO 4217 code of the price")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["symbol", "kind"], name="instrument_unique_symbol_kind")
        ]
        ordering = ["kind", "symbol"]

    def __str__(self) -> str:
        return f"{self.symbol} ({self.kind})"


class QuoteState(models.TextChoices):
    LIVE = "live"
    DELAYED = "delayed"
    CLOSED = "closed"
    STALE = "stale"
    SUSPECT = "suspect"


class Quote(models.Model):
    """One snapshot of an instrument's price. The newest per instrument is shown."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="quotes")
    last = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    previous_close = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    as_of = models.DateTimeField()
    source = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=QuoteState.choices, default=QuoteState.DELAYED)
    note = models.CharField(max_length=300, blank=True, help_text="why suspect or stale")

    class Meta:
        indexes = [models.Index(fields=["instrument", "-as_of"], name="quote_latest")]
        ordering = ["-as_of"]

    def __str__(self) -> str:
        return f"{self.instrument.symbol} {self.last} @ {self.as_of:%Y-%m-%d %H:%M}"
