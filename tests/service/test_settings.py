"""The OCR settings of the service: environment -> Settings -> the pipeline's Options."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.options import Options
from store.settings import Settings, SettingsError


def test_ocr_defaults_are_the_pipelines(tmp_path: Path) -> None:
    settings = Settings.from_env({"INVOICE_OCR_DATA_DIR": str(tmp_path)})
    assert settings.pipeline_options() == Options()


def test_ocr_recogniser_and_tesseract_from_the_environment(tmp_path: Path) -> None:
    env = {"INVOICE_OCR_DATA_DIR": str(tmp_path), "INVOICE_OCR_OCR_RECOGNISER": "Latin5",
           "INVOICE_OCR_OCR_SECOND_READER": "0"}
    options = Settings.from_env(env).pipeline_options()
    assert (options.ocr_recogniser, options.ocr_second_reader) == ("latin5", False)


def test_an_unknown_recogniser_is_a_settings_error(tmp_path: Path) -> None:
    env = {"INVOICE_OCR_DATA_DIR": str(tmp_path), "INVOICE_OCR_OCR_RECOGNISER": "german"}
    with pytest.raises(SettingsError, match="INVOICE_OCR_OCR_RECOGNISER must be one of english, latin5"):
        Settings.from_env(env)
