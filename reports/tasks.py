from celery import shared_task


@shared_task(acks_late=True, max_retries=2, default_retry_delay=30)
def build_report_pack(pack_id: str) -> str | None:
    from .services import report_pack_build

    pack = report_pack_build(pack_id)
    return pack.status if pack else None
