"""The default Chinese texts of the consumer messages, installed by a data migration
(and by ``seed_message_templates`` wherever the tables were emptied, as in tests). The
office edits them in the admin afterwards: an existing template is never overwritten.

Plain data and one function taking the model class, so the migration can use it with
its historical model."""

# No 【signature】: the SMS gateway adds the sender's registered signature itself.
SMS = {
    "accepted": "您对{institution}的投诉已受理，投诉编号 {tracking_no}，"
    "我们将在 {due_date} 前答复您。",
    "accepted_online": "您对{institution}的网上投诉已受理，查询码 {tracking_code}，"
    "查询密码 {secret}（请勿告诉他人），我们将在 {due_date} 前答复您。"
    "查询办理进度：{enquiry_url}",
    "extended": "您对{institution}的投诉（编号 {tracking_no}）需延期办理，"
    "答复期限延至 {due_date}。延期原因：{reason}。给您带来不便，敬请谅解。",
    "answered": "您对{institution}的投诉（编号 {tracking_no}）已办结并答复。"
    "如对处理结果不满意，可联系我们申请重新核查。",
    "reopened": "您对{institution}的投诉（编号 {tracking_no}）已重新受理核查，"
    "处理结果将另行答复您。",
}

SUBJECTS = {
    "accepted": "投诉已受理（编号 {tracking_no}）",
    "accepted_online": "网上投诉已受理",
    "extended": "投诉答复期限已延长（编号 {tracking_no}）",
    "answered": "投诉已答复（编号 {tracking_no}）",
    "reopened": "投诉已重新处理（编号 {tracking_no}）",
}

GREETING = "您好：\n\n"
FOOTER = "\n\n（本邮件由系统自动发送，请勿直接回复。）"


def seed_message_templates(MessageTemplate) -> None:
    for event, body in SMS.items():
        MessageTemplate.objects.get_or_create(
            event=event, channel="sms", defaults={"body": body, "is_active": True}
        )
    for event, subject in SUBJECTS.items():
        MessageTemplate.objects.get_or_create(
            event=event,
            channel="email",
            defaults={
                "subject": subject,
                "body": GREETING + SMS[event] + FOOTER,
                "is_active": True,
            },
        )
