from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "jixiao.warnings"
    label = "warnings"
    verbose_name = "预警与整改"

    def ready(self) -> None:
        from jixiao.tracking.inbox import register_inbox_source
        from jixiao.warnings.selectors import warning_tasks, warning_tasks_count

        register_inbox_source(warning_tasks, warning_tasks_count)
