"""Photos: real images only, cleaned of EXIF and GPS, upright, phone-sized, random names."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from nongsan.audit.models import AuditEntry
from nongsan.catalog import services
from nongsan.catalog.models import ListingPhoto
from nongsan.catalog.photos import MAX_BYTES, photo_variants
from nongsan.catalog.tests.factories import listing
from nongsan.producers.tests.factories import staff_user

pytestmark = pytest.mark.django_db
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(size=(1200, 900), mode="RGB", fmt="JPEG", exif=None, color="green") -> bytes:
    buffer = io.BytesIO()
    image = Image.new(mode, size, color)
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (21.0, 2.0, 30.0), 3: "E", 4: (105.0, 51.0, 0.0)})
    if orientation:
        exif[ORIENTATION] = orientation
    return exif


def upload(content: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def test_gps_and_every_exif_tag_are_gone_from_the_stored_variants():
    original = image_bytes(exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    for variant in photo_variants(upload(original)):
        stored = Image.open(io.BytesIO(variant.content))
        assert stored.format == "WEBP"
        assert not stored.getexif()
        assert b"Exif" not in variant.content
        assert b"PhoneMaker" not in variant.content


def test_variants_are_320_and_800_wide_and_never_enlarged():
    small, large = photo_variants(upload(image_bytes(size=(1600, 1200))))
    assert (small.width, small.height, large.width, large.height) == (320, 240, 800, 600)
    small, large = photo_variants(upload(image_bytes(size=(500, 400))))
    assert (small.width, large.width) == (320, 500)


def test_a_photo_taken_sideways_is_turned_upright():
    original = image_bytes(size=(1200, 600), exif=gps_exif(orientation=6))
    small, large = photo_variants(upload(original))
    assert large.height > large.width


def test_png_with_transparency_and_webp_are_accepted():
    photo_variants(upload(image_bytes(mode="RGBA", fmt="PNG", color=(0, 0, 0, 0)), "a.png"))
    photo_variants(upload(image_bytes(fmt="WEBP"), "a.webp"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an image at all", "không phải ảnh"),
        (b"", "trống"),
        (image_bytes(fmt="GIF", mode="P"), "không phải ảnh"),
        (image_bytes()[:400], "không phải ảnh"),  # truncated
        (image_bytes(size=(60, 60)), "quá nhỏ"),
        (image_bytes(size=(9000, 9000), mode="1", fmt="PNG"), "điểm ảnh"),
        (image_bytes(size=(20000, 20000), mode="1", fmt="PNG"), "điểm ảnh"),
    ],
)
def test_bad_uploads_get_a_clear_vietnamese_message(content, message):
    with pytest.raises(ValidationError) as caught:
        photo_variants(upload(content))
    assert message in caught.value.message_dict["photo"][0]


def test_an_oversized_file_is_refused_before_it_is_decoded():
    big = upload(b"\xff\xd8\xff" + b"\x00" * (MAX_BYTES + 10))
    with pytest.raises(ValidationError, match="10 MB"):
        photo_variants(big)


def test_the_message_is_english_when_english_is_active():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        photo_variants(upload(b"nope"))
    assert "not a JPEG" in caught.value.message_dict["photo"][0]


def test_listing_photo_add_stores_random_names_and_audits(admin_units):
    row = listing()
    photo = services.listing_photo_add(
        added_by=staff_user(),
        listing=row,
        upload=upload(image_bytes(exif=gps_exif()), "nha-toi.jpg"),
    )
    assert photo.small.name.startswith("listings/")
    assert photo.large.name.endswith(".webp")
    assert "nha-toi" not in photo.large.name
    assert photo.small.storage.exists(photo.small.name)
    assert AuditEntry.objects.filter(action="catalog.listing_photo_add").count() == 1


def test_a_bad_photo_writes_nothing(admin_units):
    row = listing()
    with pytest.raises(ValidationError):
        services.listing_photo_add(added_by=staff_user(), listing=row, upload=upload(b"x"))
    assert not ListingPhoto.objects.exists()


def test_a_listing_keeps_at_most_six_photos(admin_units):
    row = listing()
    content = image_bytes(size=(200, 200))
    for _index in range(6):
        services.listing_photo_add(added_by=staff_user(), listing=row, upload=upload(content))
    with pytest.raises(ValidationError, match="tối đa 6"):
        services.listing_photo_add(added_by=staff_user(), listing=row, upload=upload(content))
