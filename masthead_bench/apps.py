from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "masthead_bench"
    label = "masthead_bench"
    verbose_name = "Benchmark tooling"
