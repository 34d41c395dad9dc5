from celery import shared_task

from . import services


@shared_task(acks_late=True, max_retries=5, default_retry_delay=60)
def send_notification_emails(ids: list[int]) -> int:
    return services.deliver_emails(ids)


@shared_task(acks_late=True)
def resend_unsent_emails() -> int:
    """Catch-up: delivers what was queued while the broker or a worker was down, and
    sends again what a worker killed mid-send left claimed (its lease expired)."""
    return services.deliver_emails()
