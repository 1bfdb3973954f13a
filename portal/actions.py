"""What an HTML view that acts does, once for every app: fetch the object through its access helper,
validate a form, call a service, say in Chinese how it went, redirect. A view then only names those
parts (style.md, "Views, URLs, templates")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect

from .exceptions import DomainError, PermissionDenied
from .forms import form_errors_text

T = TypeVar("T")


def report_error(request, exc: DomainError) -> None:
    """A refused domain action becomes an error message; a permission refusal stays a 403."""
    if isinstance(exc, PermissionDenied):
        raise exc
    messages.error(request, exc.message)


def act(
    request,
    *,
    fetch: Callable[[], T],
    call: Callable[[T, Any], Any],
    success: str | Callable[[Any], str],
    redirect_to: str | Callable[[T], str],
    form_class: type | None = None,
    form_kwargs: dict | Callable[[T], dict] | None = None,
) -> HttpResponseRedirect:
    """Act on one object and redirect, whatever the outcome.

    `fetch()` returns the object or raises Http404 / PermissionDenied, before the form is looked at.
    With `form_class`, the form is bound to the posted data and files, with `form_kwargs` (or, where
    its fields depend on the object, `form_kwargs(obj)`); an invalid form's errors become the message
    and nothing is called. `call(obj, form)` (form None without `form_class`) calls the service; a
    domain error becomes an error message, a PermissionDenied a 403. `success` is the message, or a
    function of what `call` returned. `redirect_to` is a URL or view name, or a function of the object
    (taken before the call changes it)."""
    obj = fetch()
    target = redirect_to(obj) if callable(redirect_to) else redirect_to
    form = None
    if form_class is not None:
        kwargs = form_kwargs(obj) if callable(form_kwargs) else form_kwargs or {}
        form = form_class(request.POST, request.FILES, **kwargs)
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
            return redirect(target)
    try:
        result = call(obj, form)
    except DomainError as exc:
        report_error(request, exc)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(target)


def report_batch(request, done: list, failed: Iterable[tuple[Any, str]], success: str) -> None:
    """The outcome of one action over a selection of applications, each done or failed on its own:
    `success` (with %(n)s, how many were done) and one error message per failure with its reason."""
    if done:
        messages.success(request, success % {"n": len(done)})
    for application, reason in failed:
        messages.error(request, f"{application.number} {application.archive.name}：{reason}")
