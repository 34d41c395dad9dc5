"""Every error under /api/ as JSON with a stable code, in Chinese and English.

The body is always ``{"code": …, "detail": <Chinese>, "detail_en": <English>}``;
validation errors add ``errors`` (field → list of ``{"code", "message"}``). Clients
match on ``code``, never on the text. Every service's refusal (an
``institutions.errors.DomainError``) keeps its own status and code, e.g. the
workflow's (``complaints.errors``): 403 ``permission_denied`` when the role may not
do this at all, 409 ``transition_refused`` (state) and ``conflict`` (stale version),
422 for every other business rule, the non-party rule included; their Chinese
message is the one the browser shows, the English one comes from ``ERRORS`` below.

Anything unexpected is logged and answered with a JSON 500: an API client never gets
Django's HTML error page.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from institutions.errors import DomainError

log = logging.getLogger(__name__)

# code → (Chinese, English). The Chinese text is used when the exception carries no
# more specific message of its own (workflow refusals do).
ERRORS: dict[str, tuple[str, str]] = {
    # Transport, authentication, routing.
    "invalid": (
        _("提交的数据有误，请按字段修正。"),
        "The submitted data is invalid; see the field errors.",
    ),
    "parse_error": (_("请求内容不是有效的 JSON。"), "The request body is not valid JSON."),
    "not_authenticated": (
        _("请先登录，或在 Authorization 头中提供令牌。"),
        "Authentication credentials were not provided.",
    ),
    "authentication_failed": (_("令牌无效或已停用。"), "Invalid or disabled credentials."),
    "invalid_credentials": (_("用户名或密码不正确。"), "Unknown user name or wrong password."),
    "locked_out": (
        _("登录失败次数过多，账号已暂时锁定，请稍后再试。"),
        "Too many failed logins: the account is locked for a while.",
    ),
    "permission_denied": (_("您无权执行此操作。"), "You are not allowed to do this."),
    "not_found": (_("未找到。"), "Not found."),
    "method_not_allowed": (_("不支持此请求方法。"), "This HTTP method is not allowed here."),
    "not_acceptable": (_("无法以请求的格式返回内容。"), "Cannot answer in the requested format."),
    "unsupported_media_type": (
        _("请以 application/json 格式提交。"),
        "Send the request body as application/json.",
    ),
    "throttled": (_("请求过于频繁，请稍后再试。"), "Too many requests; try again later."),
    "payload_too_large": (
        _("请求内容过大，超出服务器允许的上限。"),
        "The request body is larger than the server accepts.",
    ),
    "server_error": (
        _("服务器内部错误，请稍后重试或联系系统管理员。"),
        "Internal server error; try again later or contact the administrator.",
    ),
    # Concurrency (complaints.errors.ConcurrentUpdate and a failed If-Match).
    "conflict": (
        _("此投诉已被他人更新，请刷新后重试。"),
        "The complaint was changed by someone else; reload it and try again.",
    ),
    # Workflow refusals (complaints.workflow / complaints.services).
    "refused": (_("操作未被允许。"), "The action is not allowed."),
    "transition_refused": (
        _("投诉当前状态不能执行此操作。"),
        "This action is not possible in the complaint's current state.",
    ),
    "unknown_action": (_("未知的操作。"), "Unknown action."),
    "missing_field": (_("缺少必填内容。"), "A required field is missing."),
    "institution_out_of_scope": (
        _("机构不在您的管辖范围内。"),
        "The institution is outside your jurisdiction.",
    ),
    "handler_invalid": (
        _("处理人必须是所选机构的投诉处理人员或消保管理员。"),
        "The handler must be a complaint handler or manager of the chosen institution.",
    ),
    "handler_is_party": (
        _("处理人不能是被投诉的当事人。"),
        "The person complained about cannot handle the complaint.",
    ),
    "no_parent": (
        _("处理机构已是最高层级，无法继续上报。"),
        "The handling institution is the top level and cannot escalate further; "
        "mark the complaint as major to report it to the regulator.",
    ),
    "customer_not_told": (
        _("申请延期前须向客户说明原因并承诺办结时间。"),
        "Tell the customer the reason and the promised date before requesting an extension.",
    ),
    "due_not_later": (
        _("承诺办结时间必须晚于当前答复期限。"),
        "The promised date must be later than the current due date.",
    ),
    "extension_pending": (
        _("已有待审批的延期申请。"),
        "An extension request is already waiting for a decision.",
    ),
    "no_pending_extension": (
        _("没有待审批的延期申请。"),
        "There is no extension request waiting for a decision.",
    ),
    "negative_amount": (_("金额不能为负数。"), "The amount cannot be negative."),
    "staff_opinion_required": (
        _("有效投诉须对被投诉责任人提出处理意见。"),
        "A valid complaint needs an opinion on the staff member complained about.",
    ),
    "reverification_required": (
        _("重新处理的投诉须先填写重新核查分析，才能再次办结。"),
        "A reopened complaint needs the re-verification analysis before it is resolved again.",
    ),
    "bad_time": (
        _("反馈时间须在受理时间之后且不晚于当前时间。"),
        "The answer time must be after the time received and not in the future.",
    ),
    "not_needed": (_("此投诉无需重新核查。"), "This complaint does not need re-verification."),
    "actor_is_party": (
        _("您是被投诉的当事人，按非当事人原则不能办理此投诉。"),
        "You are the person complained about: you may not handle this complaint.",
    ),
    "own_extension": (
        _("不能审批自己提出的延期申请。"),
        "An extension request is decided by someone other than the person who asked.",
    ),
    "staff_out_of_scope": (
        _("所选员工不属于被投诉机构。"),
        "The staff member chosen does not work at the institution complained about.",
    ),
    "bad_date": (
        _("要求办结日期不能早于今天。"),
        "The date required cannot be earlier than today.",
    ),
    # Registration's own checks (complaints.services), behind the intake form's.
    "account_format": (
        _("银行卡号/账号应为 10–25 位数字（可含空格或短横线）。"),
        "A card or account number has 10 to 25 digits (spaces and hyphens allowed).",
    ),
    "phone": (
        _("请输入正确的手机号码（11 位）或固定电话（如 0319-6921234）。"),
        "Give an 11-digit mobile number or a landline with its area code.",
    ),
}
FALLBACK = "refused"


class PreconditionFailed(exceptions.APIException):
    """If-Match named a version that is not the current one (HTTP 412)."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "conflict"
    default_detail = ERRORS["conflict"][0]


class PayloadTooLarge(exceptions.APIException):
    """The body is over DATA_UPLOAD_MAX_MEMORY_SIZE (Django's RequestDataTooBig when
    the parser reads it): 413, not the 500 an unhandled exception would give."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_detail = ERRORS["payload_too_large"][0]


class InvalidCredentials(exceptions.APIException):
    """Unknown user name or wrong password (one answer for both)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_credentials"
    default_detail = ERRORS["invalid_credentials"][0]


class LockedOut(exceptions.APIException):
    """django-axes refused the login: too many failures for this user name."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"
    default_detail = ERRORS["locked_out"][0]


class FormInvalid(exceptions.ValidationError):
    """A Django form (the browser's own) rejected the API input: its field errors,
    with their codes, become the ``errors`` of the JSON body. ``extra`` adds keys to
    the body (e.g. the earlier complaints behind a duplicate warning)."""

    def __init__(self, form, *, extra: dict | None = None):
        detail = {}
        for field, errors in form.errors.get_json_data().items():
            key = api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field
            detail[key] = [
                exceptions.ErrorDetail(e["message"], code=e["code"] or "invalid") for e in errors
            ]
        super().__init__(detail)
        self.extra = extra or {}


def error_body(code: str, detail: str | None = None, **extra) -> dict:
    zh, en = ERRORS.get(code, ERRORS[FALLBACK])
    return {"code": code, "detail": str(detail or zh), "detail_en": en, **extra}


def field_errors(detail, prefix: str = "") -> dict[str, list[dict]]:
    """DRF's nested error detail flattened to ``{"field": [{"code", "message"}]}``
    (``ids.0`` for an item of a list)."""
    if not isinstance(detail, dict):
        detail = {api_settings.NON_FIELD_ERRORS_KEY: detail}
    out: dict[str, list[dict]] = {}
    for field, errors in detail.items():
        key = f"{prefix}{field}"
        if isinstance(errors, dict):
            out.update(field_errors(errors, prefix=f"{key}."))
            continue
        errors = errors if isinstance(errors, list) else [errors]
        flat = []
        for e in errors:
            if isinstance(e, dict):
                out.update(field_errors(e, prefix=f"{key}."))
            else:
                flat.append({"code": getattr(e, "code", None) or "invalid", "message": str(e)})
        if flat:
            out[key] = flat
    return out


def api_exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every exception raised in an API view."""
    set_rollback()
    if isinstance(exc, DomainError):  # every service's refusal, with its own code and status
        return Response(error_body(exc.code, str(exc.message)), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        log.error(
            "unhandled exception in API view %s",
            type(context.get("view")).__name__,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        return Response(error_body("server_error"), status=500)

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", errors=field_errors(exc.detail), **getattr(exc, "extra", {}))
        return Response(body, status=exc.status_code, headers=headers)
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    # A message more specific than the exception's default (e.g. DRF's 'CSRF Failed…',
    # 'Method "DELETE" not allowed.', in DRF's Chinese) beats our generic text.
    own = str(exc.detail) if str(exc.detail) != str(exc.default_detail) else None
    return Response(error_body(code, own), status=exc.status_code, headers=headers)
