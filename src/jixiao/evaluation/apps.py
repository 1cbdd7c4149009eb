from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "jixiao.evaluation"
    label = "evaluation"
    verbose_name = "绩效自评"

    def ready(self) -> None:
        from jixiao.evaluation.selectors import evaluation_tasks, evaluation_tasks_count
        from jixiao.tracking.inbox import register_inbox_source

        register_inbox_source(evaluation_tasks, evaluation_tasks_count)
