"""The certificate PDF: content, fonts, QR code, layout limits and hostile input
(certificates/pdf.py, qr.py, document.py)."""

import io
import re
import shutil
import socket
import subprocess
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from django.core.management import call_command
from django.utils.translation import gettext
from PIL import Image

from certificates import pdf
from certificates.document import sample_certificate_data
from certificates.pdf import (
    CertificateRenderError,
    LocalAssets,
    MissingFontError,
    RefusedResourceError,
    render_pdf,
)
from courses.volume import format_credits, format_volume
from tests.certificates.pdf_support import (
    fonts_embedded,
    image_count,
    page_count,
    page_image,
    pdf_text,
    squeezed,
    text_bounds,
)

MM = 72 / 25.4
# The inner (yellow) border line; nothing printed may cross it.
INNER_BORDER = 10.5 * MM
TEMPLATE = Path(pdf.__file__).parent / "templates" / pdf.TEMPLATE_NAME


def assert_fits_inside_the_border(content: bytes) -> None:
    width, height, left, bottom, right, top = text_bounds(content)
    assert page_count(content) == 1
    assert left >= INNER_BORDER and bottom >= INNER_BORDER
    assert right <= width - INNER_BORDER and top <= height - INNER_BORDER


# Content ------------------------------------------------------------------------


def test_the_text_holds_every_field_in_ukrainian(certificate_data):
    text = squeezed(pdf_text(render_pdf(certificate_data)))

    expected = [
        certificate_data.number,
        certificate_data.holder_name,
        certificate_data.course_title,
        certificate_data.programme_code,
        format_volume(30),
        *certificate_data.outcomes,
        certificate_data.provider_name,
        "20 листопада 2026 р.",
        "26 листопада 2026 р.",
        certificate_data.signer_name,
        certificate_data.signer_position,
        certificate_data.heading,
        certificate_data.statement,
        certificate_data.completion_text,
        certificate_data.verification_url,
        certificate_data.verification_code_hint,
    ]
    for value in expected:
        assert squeezed(value) in text, value
    for letter in "ҐґЄєІіЇїʼ":
        assert letter in text, letter


def test_a_typewriter_apostrophe_in_a_name_is_printed_as_typed(certificate_data):
    data = sample_certificate_data(holder_name="Мар'яна О'Коннор-Їжак")

    assert "Мар'яна О'Коннор-Їжак" in pdf_text(render_pdf(data))


def test_the_volume_shows_the_credits_the_certificate_recorded(certificate_data):
    data = sample_certificate_data(hours=45, credits=Decimal("2.00"))

    text = squeezed(pdf_text(render_pdf(data)))

    assert squeezed(format_credits(Decimal("2.00"))) in text
    assert squeezed(format_volume(45)) not in text


def test_every_font_is_embedded_and_is_one_of_the_bundled_ones(certificate_data):
    content = render_pdf(certificate_data)

    fonts = fonts_embedded(content)
    assert {name.split("+", 1)[1] for name in fonts} == {
        "NotoSans-Regular",
        "NotoSans-Bold",
        "NotoSerif-Bold",
    }
    assert all(fonts.values()), fonts


PDFFONTS = shutil.which("pdffonts")


@pytest.mark.skipif(PDFFONTS is None, reason="poppler-utils is not installed")
def test_pdffonts_reports_every_font_embedded(certificate_data, tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(render_pdf(certificate_data))

    report = subprocess.run(  # noqa: S603
        [PDFFONTS, str(path)], capture_output=True, text=True, check=True
    ).stdout

    rows = report.splitlines()[2:]
    assert len(rows) == 3
    assert all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), report


def test_the_qr_code_decodes_to_the_verification_url(certificate_data):
    image = page_image(render_pdf(certificate_data), dpi=150)

    decoded = [result.text for result in zxingcpp.read_barcodes(image)]

    assert decoded == [certificate_data.verification_url]


def test_the_logo_the_signature_and_the_qr_code_are_the_page_images(
    certificate_data,
):
    assert image_count(render_pdf(certificate_data)) == 3
    assert image_count(render_pdf(sample_certificate_data())) == 1


def test_only_a_sample_carries_the_sample_mark(certificate_data):
    sample = pdf_text(render_pdf(sample_certificate_data()))
    issued = pdf_text(render_pdf(certificate_data))

    assert gettext("SAMPLE") in sample
    assert gettext("SAMPLE") not in issued


def test_the_sample_data_render_on_one_page_within_the_border():
    assert_fits_inside_the_border(render_pdf(sample_certificate_data()))


# Layout limits ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        ("Ґедзь-Їжакевич Марʼяна Євгенівна " * 10)[:300],
        "Ї" * 300,
    ],
    ids=["words", "one-word"],
)
def test_a_300_character_name_stays_on_one_page_inside_the_border(
    certificate_data, name
):
    data = sample_certificate_data(holder_name=name, is_sample=False)

    content = render_pdf(data)

    assert_fits_inside_the_border(content)
    assert squeezed(name) in squeezed(pdf_text(content))


def test_every_field_at_its_longest_still_fits_one_page(certificate_images):
    long = ("Довге поле з «лапками», апострофом ʼ і буквами ґ є і ї " * 6)[:300]
    data = sample_certificate_data(
        number="РВ-2026-" + "9" * 40,
        holder_name=long,
        course_title=long,
        programme_code="К" * 50,
        outcomes=(long,) * 10,
        provider_name=long,
        signer_name=long[:120],
        signer_position=long,
        heading=long[:80],
        statement=long[:120],
        completion_text=long,
        verification_code_hint="x" * 43,
        logo=certificate_images["logo"],
        signature_image=certificate_images["signature"],
    )

    content = render_pdf(data)

    assert_fits_inside_the_border(content)
    assert squeezed(long) in squeezed(pdf_text(content))


# Hostile input ------------------------------------------------------------------

HOSTILE_NAMES = {
    "img": "<img src=http://169.254.169.254/latest/meta-data/> Іваненко",
    "img-quoted": '<img src="http://169.254.169.254/"/>',
    "brackets": '[[[os.system("touch /tmp/pwned")]]] Петренко',
    "script": "<script>alert('Ґ')</script> Шевченко",
    "link": "<a href='file:///etc/passwd'>Коваль</a>",
    "pdf-tag": "<pdf:nextpage /> <pdf:barcode value='x' /> Бондар",
    "entities": "&lt;b&gt; &amp; &#60;img&#62; Мельник",
}


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to resolve or connect fails the test; the attempts are kept."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


@pytest.fixture
def asked_for(monkeypatch):
    """Every URI the renderer asks the link_callback for."""
    uris = []
    original = LocalAssets.__call__

    def recording(self, uri, rel=None):
        uris.append(uri)
        return original(self, uri, rel)

    monkeypatch.setattr(LocalAssets, "__call__", recording)
    return uris


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_a_hostile_name_is_printed_as_text_and_nothing_is_fetched(
    name, no_network, asked_for
):
    content = render_pdf(sample_certificate_data(holder_name=name, is_sample=False))

    assert squeezed(name) in squeezed(pdf_text(content))
    assert page_count(content) == 1
    assert no_network == []
    assert asked_for and all(uri.startswith("asset:") for uri in asked_for)


def test_a_reportlab_colour_expression_is_printed_not_evaluated(
    tmp_path, no_network, asked_for
):
    marker = tmp_path / "pwned"
    # CVE-2023-33733: ReportLab evaluated [[[...]]] in a colour attribute.
    exploit = (
        "[[[getattr(pow, Word('__globals__'))['os'].system('touch "
        f"{marker}') for Word in [orgTypeFun('Word', (str,), {{ 'mutated': 1, "
        "'startswith': lambda self, x: False, '__eq__': lambda self, x: "
        "self.mutate() and self.mutated < 0 and str(self) == x, 'mutate': "
        "lambda self: {setattr(self, 'mutated', self.mutated - 1)}, "
        "'__hash__': lambda self: hash(str(self))})]] for orgTypeFun in "
        "[type(type(1))]]] and 'red'"
    )
    name = f'<font color="{exploit}">Ткаченко</font> oops'
    data = sample_certificate_data(
        holder_name=name, course_title=name, outcomes=(name,), is_sample=False
    )

    content = render_pdf(data)

    assert not marker.exists()
    # Printed whole as the name, the programme title and the one outcome.
    assert squeezed(pdf_text(content)).count(squeezed(name)) == 3
    assert no_network == []
    assert all(uri.startswith("asset:") for uri in asked_for)


def test_a_right_to_left_override_cannot_reorder_the_printed_name():
    name = "Шевченко \u202eакнирО\u202c Тарасівна"

    text = pdf_text(render_pdf(sample_certificate_data(holder_name=name)))

    assert "Шевченко акнирО Тарасівна" in text
    assert "\u202e" not in text


@pytest.mark.parametrize(
    "uri",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "/etc/passwd",
        "../../settings.py",
        "data:image/png;base64,iVBORw0KGgo=",
        "data:text/html,<script>alert(1)</script>",
        "asset:unknown",
        None,
    ],
)
def test_the_link_callback_refuses_everything_but_the_certificate_assets(
    certificate_data, uri
):
    assets = LocalAssets(pdf._asset_map(certificate_data))

    with pytest.raises(RefusedResourceError):
        assets(uri, None)


def test_the_link_callback_reads_only_the_bundled_fonts_from_disk(
    certificate_data,
):
    assets = LocalAssets(pdf._asset_map(certificate_data))

    files = set(assets.local_files())

    assert files == {pdf.FONT_DIR / name for name in pdf.FONT_FILES.values()}
    for name in ("asset:qr", "asset:logo", "asset:signature"):
        assert assets(name, None).startswith("data:image/png;base64,")


def test_markup_that_reached_the_renderer_would_stop_it_before_any_fetch(
    certificate_data, no_network
):
    assets = LocalAssets(pdf._asset_map(certificate_data))
    html = '<html><body><p>x</p><img src="http://169.254.169.254/"></body></html>'

    with pytest.raises(RefusedResourceError):
        pdf._html_to_pdf(html, assets, author="x")
    assert no_network == []


def test_the_template_puts_no_value_inside_a_tag():
    source = TEMPLATE.read_text(encoding="utf-8")
    body = source[source.index("<body>") :]

    inside_tags = re.findall(r"<[^>]*>", body)

    assert not [tag for tag in inside_tags if "{{" in tag]
    assert "|safe" not in source and "autoescape off" not in source


# Failing loudly -----------------------------------------------------------------


def test_a_missing_font_file_stops_rendering(certificate_data, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path)

    with pytest.raises(MissingFontError):
        render_pdf(certificate_data)


def test_a_font_that_would_not_be_embedded_stops_rendering(
    certificate_data, monkeypatch
):
    monkeypatch.setattr(pdf, "PAGE_BASE_FONT", "Helvetica")

    with pytest.raises(CertificateRenderError, match="not embedded"):
        render_pdf(certificate_data)


def test_a_large_image_is_scaled_down_before_it_is_embedded():
    buffer = io.BytesIO()
    Image.new("RGBA", (3000, 3000), (0, 87, 183, 255)).save(buffer, format="PNG")
    huge = buffer.getvalue()
    data = sample_certificate_data(logo=huge, signature_image=huge)

    content = render_pdf(data)

    assert len(content) < 200_000
    assert image_count(content) == 3


def test_bytes_that_are_not_an_image_stop_rendering():
    with pytest.raises(CertificateRenderError, match="cannot be read"):
        render_pdf(sample_certificate_data(logo=b"<svg onload=alert(1)>"))


# A snapshot image missing from private storage: test_s3_storage.py.


# The sample command -------------------------------------------------------------


def test_render_sample_certificate_writes_an_unsigned_pdf_without_a_key(
    no_signing_key, tmp_path, capsys
):
    out = tmp_path / "sample.pdf"

    call_command("render_sample_certificate", str(out))

    content = out.read_bytes()
    assert content.startswith(b"%PDF-")
    assert b"/ByteRange" not in content
    assert squeezed(sample_certificate_data().holder_name) in squeezed(
        pdf_text(content)
    )
    assert "без підпису" in capsys.readouterr().out
