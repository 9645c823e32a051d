"""Passwords that are too easy to guess are refused with the reason and a passphrase suggested;
strong ones pass in any script, up to 256 characters (`fieldapp.vault.passwords`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from fieldapp.cli import app as cli
from fieldapp.errors import WeakPassword
from fieldapp.messages import translate
from fieldapp.vault.crypto import KdfParams
from fieldapp.vault.passwords import MAX_PASSWORD_CHARS, check_password_strength
from fieldapp.vault.vault import Vault


def refusal(password: str, personal: tuple[str, ...] = ()) -> WeakPassword:
    with pytest.raises(WeakPassword) as refused:
        check_password_strength(password, personal)
    return refused.value


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaa", "repeat"),
        ("        ", "repeat"),  # eight spaces
        ("12345678", "common"),
        ("password1", "common"),
        ("abcdefgh", "sequence"),
        ("١٢٣٤٥٦٧٨", "sequence"),  # Arabic-Indic digits in a row
        ("asdfghjkl;", "keyboard"),
        ("x7#", "short"),
        ("", "short"),
        ("كلمة السر", "word"),  # "password" in Arabic: not in zxcvbn's dictionaries, in ours
    ],
)
def test_an_easy_password_is_refused_with_the_reason(password: str, reason: str) -> None:
    assert refusal(password).key == f"vault.weak_password_{reason}"


def test_the_officers_own_name_in_the_password_is_named_as_the_reason() -> None:
    assert refusal("ali.h2024", ("ali.h", "B12")).key == "vault.weak_password_personal"


@pytest.mark.parametrize("lang", ["ar", "ckb", "en"])
def test_the_refusal_suggests_a_passphrase_in_each_language(lang: str) -> None:
    message = refusal("aaaaaaaa").message(lang)
    passphrase = {"ar": "عبارة مرور", "ckb": "دەستەواژەیەکی نهێنی", "en": "passphrase"}[lang]
    assert passphrase in message
    assert message != translate("vault.weak_password", lang)  # the reason, not only "too easy"


@pytest.mark.parametrize(
    "passphrase",
    [
        "بيتنا قرب النهر الكبير",  # Arabic
        "ئەمە وشەی نهێنی منە لە هەولێر",  # Sorani
        "correct horse battery",
        "الشاي في بيت جدتي بعد صلاة الجمعة",
    ],
)
def test_a_strong_passphrase_passes_in_any_script(passphrase: str) -> None:
    check_password_strength(passphrase)


def test_a_passphrase_of_128_characters_and_more_passes() -> None:
    words = "نخلة عالية في بستان جدي قرب شط العرب والقارب الأزرق ينتظر الصيادين عند الفجر"
    long = (words + " ") * 4
    assert len(long.strip()[:MAX_PASSWORD_CHARS]) >= 128
    check_password_strength(long.strip()[:MAX_PASSWORD_CHARS])


def test_a_long_repeat_of_one_character_is_refused() -> None:
    assert refusal("a" * MAX_PASSWORD_CHARS).key == "vault.weak_password_repeat"


def test_a_weak_start_does_not_refuse_a_long_strong_passphrase() -> None:
    check_password_strength("a" * 64 + "بيتنا قرب النهر الكبير")


def test_a_password_over_the_limit_is_refused_with_the_limit() -> None:
    refused = refusal("x" * (MAX_PASSWORD_CHARS + 1))
    assert refused.key == "vault.password_too_long"
    assert str(MAX_PASSWORD_CHARS) in refused.message("en")


def test_creating_a_vault_with_an_easy_password_leaves_nothing(
    vault_dir: Path, fast_kdf: KdfParams
) -> None:
    with pytest.raises(WeakPassword):
        Vault.create(vault_dir, "12345678", kdf=fast_kdf)
    assert not vault_dir.exists()


def test_init_from_a_script_refuses_an_easy_password_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FIELDAPP_PASSWORD", "aaaaaaaa")
    monkeypatch.delenv("FIELDAPP_NEW_PASSWORD", raising=False)
    data_dir = tmp_path / "vault"
    code = cli.main(["--lang", "ckb", "--data-dir", str(data_dir), "init"], io.StringIO())
    assert code == 2
    assert capsys.readouterr().err == translate("vault.weak_password_repeat", "ckb") + "\n"
    assert not data_dir.exists()
