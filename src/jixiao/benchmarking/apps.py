from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "jixiao.benchmarking"
    label = "benchmarking"
    verbose_name = "预算调整建议与跨项目对标"
