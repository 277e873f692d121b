"""The form that makes a report ready for the diarium before it is downloaded: the
header block (diarienummer, handläggare, datum, beslutande organ), a "Förslag till
beslut", and appendices (uploaded PDF files and other reports chosen from a list).

Every app's report download has a page of its own with this form (``diarium_download``);
the app says which document it builds and which other reports can be appended.
Uploaded files live only in the request: they are checked, merged into the PDF that is
sent back and never stored (docs/privacy.md).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tryggnav.lib.documents import Appendix, Document, Registry, document_response
from tryggnav.lib.errors import InputError

MAX_APPENDICES = 10


def max_appendix_bytes() -> int:
    return int(getattr(settings, "TRYGGNAV_MAX_APPENDIX_BYTES", 20 * 1024 * 1024))


@dataclass
class AppendixChoice:
    """Another report (or a stored PDF) that can be appended: ``build`` makes the
    appendix only when it is chosen."""

    key: str
    label: str
    build: Callable[[], Appendix]


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": "application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(_MultipleFileField, self).clean(f, initial) for f in files if f]


class DiariumForm(forms.Form):
    diarienummer = forms.CharField(label=_("Diarienummer"), max_length=60, required=False)
    handlaggare = forms.CharField(label=_("Handläggare"), max_length=120, required=False)
    organ = forms.CharField(label=_("Beslutande organ"), max_length=160, required=False)
    datum = forms.DateField(
        label=_("Datum"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    forslag = forms.CharField(
        label=_("Förslag till beslut"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Lämna tomt om dokumentet inte ska ha något förslag till beslut. "
            "En tom rad skiljer stycken."
        ),  # fmt: skip
    )
    rapporter = forms.MultipleChoiceField(
        label=_("Andra rapporter som bilagor"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    filer = _MultipleFileField(
        label=_("PDF-filer som bilagor"),
        required=False,
        help_text=_("Högst 10 bilagor. Filerna sparas inte; de läggs bara in i PDF-filen."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF (PDF/A, med bilagorna)")), ("docx", _("Word"))],
        initial="pdf",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, choices: Sequence[AppendixChoice] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.appendix_choices = {choice.key: choice for choice in choices}
        field = self.fields["rapporter"]
        field.choices = [(c.key, c.label) for c in choices]  # type: ignore[attr-defined]
        if not choices:
            del self.fields["rapporter"]
        if not self.initial.get("datum"):
            self.fields["datum"].initial = timezone.localdate()

    def clean_filer(self) -> list[tuple[str, bytes]]:
        files = self.cleaned_data.get("filer") or []
        return [(_title(f.name), _checked_pdf(f)) for f in files]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        count = len(data.get("filer") or []) + len(data.get("rapporter") or [])
        if count > MAX_APPENDICES:
            raise forms.ValidationError(
                f"Högst {MAX_APPENDICES} bilagor / At most {MAX_APPENDICES} appendices."
            )
        return data

    def apply(self, document: Document) -> Document:
        """Puts the form's header block, proposal and appendices on ``document``: the
        chosen reports first, in the list's order, then the uploaded files."""
        data = self.cleaned_data
        document.registry = Registry(
            diarienummer=data["diarienummer"].strip(),
            handlaggare=data["handlaggare"].strip(),
            datum=data["datum"],
            organ=data["organ"].strip(),
        )
        document.proposal = _paragraphs(data["forslag"])
        chosen = [self.appendix_choices[key] for key in data.get("rapporter") or []]
        document.appendices = [choice.build() for choice in chosen] + [
            Appendix(title, pdf=pdf) for title, pdf in data["filer"]
        ]
        return document


def _paragraphs(text: str) -> list[str]:
    return [
        " ".join(part.split()) for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()
    ]


def _title(filename: str) -> str:
    return Path(filename).stem.replace("_", " ")[:120] or "PDF"


def _checked_pdf(upload: Any) -> bytes:
    """The uploaded file's bytes when it is a readable, unencrypted PDF within the size
    limit; a ValidationError naming the file otherwise."""
    limit = max_appendix_bytes()
    if upload.size > limit:
        mb = limit // (1024 * 1024)
        raise _refusal(upload.name, f"är större än {mb} MB", f"is larger than {mb} MB")
    data = upload.read()
    try:
        check_pdf(data, name=upload.name)
    except InputError as error:
        raise _refusal(upload.name, error.problems[0].sv, error.problems[0].en) from error
    return data


def check_pdf(data: bytes, *, name: str) -> None:
    """InputError unless ``data`` is a PDF that can be appended: the magic bytes, a
    file that opens, no password, at least one page."""
    import pikepdf

    def problem(sv: str, en: str) -> InputError:
        return InputError.single(sv, en, file=name)

    if not data.startswith(b"%PDF-"):
        raise problem("är inte en PDF-fil", "is not a PDF file")
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
    except pikepdf.PasswordError as error:
        raise problem("är lösenordsskyddad", "is password-protected") from error
    except (pikepdf.PdfError, ValueError, KeyError) as error:
        raise problem("är trasig och kan inte läsas", "is corrupt and cannot be read") from error
    if pages == 0:
        raise problem("har inga sidor", "has no pages")


def _refusal(name: str, sv: str, en: str) -> forms.ValidationError:
    return forms.ValidationError(f"Filen {name} {sv}. / The file {name} {en}.")


def diarium_download(
    request: HttpRequest,
    *,
    build: Callable[[], Document],
    filename: str,
    title: str,
    back: str,
    choices: Sequence[AppendixChoice] = (),
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """The form page (GET, or POST with errors: 400) and the finished download (POST).
    The page's query string (a report's period) is kept in the form's action; ``initial``
    fills the form with what the app already knows (a decided document's diarienummer)."""
    form = DiariumForm(
        request.POST or None, request.FILES or None, choices=choices, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = form.apply(build())
        except InputError as error:  # a stored file chosen as an appendix that cannot be used
            form.add_error("rapporter", f"{error.problems[0].file}: {error.problems[0].text()}")
        else:
            fmt = form.cleaned_data["format"]
            return document_response(document, fmt=fmt, filename=filename)
    context = {"form": form, "title": title, "back": back, "action": request.get_full_path()}
    return render(
        request, "documents/diarium_form.html", context, status=400 if form.errors else 200
    )
