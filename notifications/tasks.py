from celery import shared_task

from . import consumer, services


@shared_task(acks_late=True, max_retries=5, default_retry_delay=60)
def send_notification_emails(ids: list[int]) -> int:
    return services.deliver_emails(ids)


@shared_task(acks_late=True)
def resend_unsent_emails() -> int:
    """Catch-up: delivers what was queued while the broker or a worker was down, and
    sends again what a worker killed mid-send left claimed (its lease expired)."""
    return services.deliver_emails()


@shared_task(acks_late=True)
def send_consumer_messages(ids: list[int]) -> int:
    """The consumer messages just written, sent after their transaction committed.
    Idempotent: a message already sent (or claimed by another worker) is skipped."""
    return consumer.deliver_consumer_messages(ids)


@shared_task(acks_late=True)
def resend_consumer_messages() -> int:
    """Catch-up, every minute: what the broker lost, what a killed worker left
    claimed, and failed messages whose back-off has run out."""
    return consumer.deliver_consumer_messages()
