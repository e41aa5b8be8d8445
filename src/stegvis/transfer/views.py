"""Import and export pages for partner coordinators. Everyone else gets 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from stegvis.organisations.models import Partner

from . import exports, selectors, services
from .columns import KINDS
from .forms import UploadForm

PROBLEMS_SHOWN = 1000


def _partners(request: HttpRequest) -> QuerySet[Partner]:
    """The partners the user coordinates; 404 for everyone who coordinates none."""
    partners = selectors.partners_for_transfer(actor=request.user)
    if not partners:
        raise Http404
    return partners


def index(request: HttpRequest) -> HttpResponse:
    partners = _partners(request)
    form = UploadForm(partners=partners)
    return render(request, "transfer/index.html", _index_context(request, form, partners))


def _index_context(request: HttpRequest, form: UploadForm, partners: QuerySet[Partner]) -> dict:
    return {
        "form": form,
        "partners": partners,
        "kinds": KINDS.values(),
        "jobs": selectors.jobs_for(actor=request.user)[:10],
    }


def upload(request: HttpRequest) -> HttpResponse:
    partners = _partners(request)
    if request.method != "POST":
        return redirect("transfer:index")
    form = UploadForm(request.POST, request.FILES, partners=partners)
    if not form.is_valid():
        return render(request, "transfer/index.html", _index_context(request, form, partners))
    upload = form.cleaned_data["file"]
    job = services.job_create(
        actor=request.user,
        partner=form.cleaned_data["partner"],
        filename=upload.name,
        data=upload.read(),
    )
    return redirect("transfer:job", job_id=job.pk)


def job(request: HttpRequest, job_id: int) -> HttpResponse:
    partners = _partners(request)
    job = selectors.job_get(actor=request.user, job_id=job_id)
    progress = services.job_progress(job) if job.is_running else None
    return render(
        request,
        "transfer/job.html",
        {
            "job": job,
            "problems": job.problems[:PROBLEMS_SHOWN],
            "more_problems": max(0, len(job.problems) - PROBLEMS_SHOWN),
            "progress": progress,
            "form": UploadForm(partners=partners, initial={"partner": job.partner}),
        },
    )


def commit(request: HttpRequest, job_id: int) -> HttpResponse:
    _partners(request)
    job = selectors.job_get(actor=request.user, job_id=job_id)
    if request.method == "POST" and job.can_commit:
        services.job_commit(actor=request.user, job=job)
    return redirect("transfer:job", job_id=job.pk)


def template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind == "all" and fmt == "xlsx":
        content, name = exports.template_workbook(list(KINDS.values())), "stegvis-mall.xlsx"
    elif kind in KINDS and fmt == "xlsx":
        content = exports.template_workbook([KINDS[kind]])
        name = f"stegvis-mall-{KINDS[kind].sv.lower()}.xlsx"
    elif kind in KINDS and fmt == "csv":
        content = exports.template_csv(KINDS[kind])
        name = f"stegvis-mall-{KINDS[kind].sv.lower()}.csv"
    else:
        raise Http404
    return _download(content, name, fmt)


def export(request: HttpRequest, partner_id: int, fmt: str) -> HttpResponse:
    _partners(request)
    if fmt not in ("xlsx", "zip"):
        raise Http404
    partner = selectors.partner_get(actor=request.user, partner_id=partner_id)
    content = exports.partner_export(actor=request.user, partner=partner, fmt=fmt)
    stamp = timezone.localdate().isoformat()
    return _download(content, f"stegvis-export-{partner.pk}-{stamp}.{fmt}", fmt)


def _download(content: bytes, name: str, fmt: str) -> HttpResponse:
    types = {"xlsx": exports.XLSX_TYPE, "csv": "text/csv; charset=utf-8", "zip": "application/zip"}
    response = HttpResponse(content, content_type=types[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
