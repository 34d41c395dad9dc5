from celery import shared_task


@shared_task(acks_late=True, max_retries=2, default_retry_delay=30)
def build_report_pack(pack_id: str) -> str | None:
    from .services import report_pack_build

    pack = report_pack_build(pack_id)
    return pack.status if pack else None


@shared_task(acks_late=True)
def validate_history_import(job_id: str) -> str | None:
    from .history import history_import_validate

    job = history_import_validate(job_id)
    return job.status if job else None


@shared_task(acks_late=True)
def run_history_import(job_id: str) -> str | None:
    from .history import history_import_run

    job = history_import_run(job_id)
    return job.status if job else None


@shared_task
def purge_history_imports() -> int:
    from .history import purge

    return purge()
