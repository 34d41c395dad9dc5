from django.http import HttpRequest, HttpResponse


def complain(request: HttpRequest) -> HttpResponse:
    # Replaced by portal.submission's form view (issue 24, being built).
    raise NotImplementedError
