"""The `invoice-ocr` command line."""
