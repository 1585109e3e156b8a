"""The cover picture is drawn once per brand and ring size and read back in later runs, never at the
cost of a wrong or missing picture."""

import io

import pytest
from PIL import Image

from pitchcraft.render import diagram


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("PITCHCRAFT_CACHE_DIR", str(folder))
    diagram._cover_art.cache_clear()  # a new "process"
    yield folder
    diagram._cover_art.cache_clear()


def _pixels(png: bytes):
    with Image.open(io.BytesIO(png)) as img:
        return img.size, img.convert("RGB").tobytes()


def test_a_later_run_reads_the_picture_the_first_drew(cache, monkeypatch):
    first = diagram.cover_art("0066B3", "00A3E0", sites=4)
    stored = list((cache / "pictures").glob("cover-*.png"))
    assert len(stored) == 1 and stored[0].read_bytes() == first
    diagram._cover_art.cache_clear()
    monkeypatch.setattr(diagram, "_draw_cover_art", lambda *a: pytest.fail("drawn again"))
    assert diagram.cover_art("0066B3", "00A3E0", sites=4) == first


def test_each_brand_and_ring_size_has_its_own_picture(cache):
    four = diagram.cover_art("0066B3", "00A3E0", sites=4)
    five = diagram.cover_art("0066B3", "00A3E0", sites=5)
    red = diagram.cover_art("C00000", "00A3E0", sites=4)
    assert len({four, five, red}) == 3
    assert len(list((cache / "pictures").glob("cover-*.png"))) == 3
    assert _pixels(five)[0] == (1600, 960)


def test_a_damaged_entry_is_drawn_again(cache):
    drawn = diagram.cover_art("0066B3", "00A3E0", sites=6)
    entry, = (cache / "pictures").glob("cover-*.png")
    entry.write_bytes(b"not a picture")
    diagram._cover_art.cache_clear()
    assert diagram.cover_art("0066B3", "00A3E0", sites=6) == drawn
    assert entry.read_bytes() == drawn


def test_a_folder_others_may_write_is_not_read(cache):
    drawn = diagram.cover_art("0066B3", "00A3E0", sites=6)
    entry, = (cache / "pictures").glob("cover-*.png")
    planted = diagram._draw_cover_art("C00000", "C00000", 6)
    entry.write_bytes(planted)
    (cache / "pictures").chmod(0o777)
    diagram._cover_art.cache_clear()
    assert diagram.cover_art("0066B3", "00A3E0", sites=6) == drawn
