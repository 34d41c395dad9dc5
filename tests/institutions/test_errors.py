"""One error vocabulary across the services (institutions.errors): a business refusal
is a DomainError with a stable code and a status, a permission refusal is one
PermissionRefused that is also Django's PermissionDenied; the API translates any of
them in one place."""

import pytest
from django.core.exceptions import PermissionDenied

from api.exceptions import api_exception_handler
from complaints import errors as complaint_errors
from evaluation.errors import AppraisalError
from institutions.errors import DomainError, PermissionRefused


def test_each_domains_refusals_are_domain_errors():
    for error in (
        complaint_errors.WorkflowError(),
        complaint_errors.TransitionRefused(),
        complaint_errors.ConcurrentUpdate(),
        AppraisalError("考核期已发布"),
    ):
        assert isinstance(error, DomainError)
        assert not isinstance(error, PermissionDenied)


def test_permission_refusals_are_one_exception():
    for error in (PermissionRefused(), complaint_errors.PermissionRefused()):
        assert isinstance(error, PermissionRefused)
        assert isinstance(error, PermissionDenied)
        assert (error.code, error.status) == ("permission_denied", 403)
    # The workflow's callers still catch it with the workflow's other refusals.
    assert isinstance(complaint_errors.PermissionRefused(), complaint_errors.WorkflowError)


def test_several_reasons_are_kept_and_joined():
    error = AppraisalError(messages=["尚未计算", "还有 2 项未评分"], code="not_ready")
    assert error.messages == ["尚未计算", "还有 2 项未评分"]
    assert (str(error), error.code, error.status) == ("尚未计算；还有 2 项未评分", "not_ready", 422)
    assert AppraisalError("已发布").messages == ["已发布"]
    assert str(DomainError()) == "操作未被允许。"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "status", "code", "detail"),
    [
        (AppraisalError("考核期已发布", code="not_scorable"), 422, "not_scorable", "考核期已发布"),
        (
            PermissionRefused("只有本考核机构的监管人员可以进行此操作。"),
            403,
            "permission_denied",
            "只有本考核机构的监管人员可以进行此操作。",
        ),
        (complaint_errors.TransitionRefused("状态不允许"), 409, "transition_refused", "状态不允许"),
    ],
)
def test_the_api_answers_every_domain_error_with_its_code_and_status(error, status, code, detail):
    response = api_exception_handler(error, {})
    assert response.status_code == status
    assert (response.data["code"], response.data["detail"]) == (code, detail)
