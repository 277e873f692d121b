"""Personal data screening: check digits, phone numbers, e-mail, plates, masking."""

import pytest

from tryggnav.lib.screening import screen


@pytest.mark.parametrize(
    "text",
    ["811218-9876", "19811218-9876", "8112189876", "198112189876", "811218+9876"],
)
def test_valid_personnummer_is_found_and_masked(text):
    result = screen(f"Mannen uppgav {text} till väktaren.")
    assert [m.kind for m in result.matches] == ["personnummer"]
    assert result.has_personal_data
    assert result.masked == "Mannen uppgav [personnummer] till väktaren."


@pytest.mark.parametrize("text", ["811218-9877", "19811218-9870", "811332-9876"])
def test_wrong_check_digit_or_date_is_not_a_personnummer(text):
    result = screen(f"Ärende {text}")
    assert not any(m.kind in ("personnummer", "samordningsnummer") for m in result.matches)


def test_samordningsnummer_with_valid_check_digit():
    result = screen("Samordningsnummer 701063-2391 angavs.")
    assert [m.kind for m in result.matches] == ["samordningsnummer"]
    assert "701063" not in result.masked
    assert not screen("701063-2392").has_personal_data


@pytest.mark.parametrize(
    "phone", ["070-123 45 67", "0701234567", "+46 70 123 45 67", "08-123 456 78", "0046701234567"]
)
def test_phone_numbers(phone):
    result = screen(f"Ring {phone} om det händer igen")
    assert [m.kind for m in result.matches] == ["telefon"]
    assert result.masked == "Ring [telefon] om det händer igen"


def test_email_addresses():
    result = screen("Skicka till anna.svensson+osg@huddinge.example.se tack")
    assert result.masked == "Skicka till [e-post] tack"


@pytest.mark.parametrize("plate", ["ABC 123", "ABC123", "DEF 12G", "abc123"])
def test_registration_numbers(plate):
    result = screen(f"Bilen {plate} stod på gången")
    assert [m.kind for m in result.matches] == ["regnummer"]
    assert result.masked == "Bilen [regnummer] stod på gången"


@pytest.mark.parametrize(
    "text",
    [
        "Klotter på väggen vid Vällingby torg, ca 2 x 3 m.",
        "Hände 2024-05-01 kl 21.30 vid port 12A.",
        "Grupp om 15 personer, 250 m från skolan.",
        "Larmet gick 23:45, 4 bilar på plats.",
    ],
)
def test_ordinary_text_is_not_flagged(text):
    result = screen(text)
    assert not result.has_personal_data
    assert result.masked == text


def test_several_kinds_in_one_text():
    result = screen("Pnr 811218-9876, tel 070-1234567, bil ABC 123, kalle@example.com")
    assert result.masked == "Pnr [personnummer], tel [telefon], bil [regnummer], [e-post]"
    assert len(result.kinds()) == 4
